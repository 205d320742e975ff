/** Small helpers for WhatsApp's binary nodes on the fake server's side. */
import { encodeBigEndian, getBinaryNodeChild, getBinaryNodeChildren, type BinaryNode } from '@whiskeysockets/baileys';

export const SERVER_JID = 's.whatsapp.net';

export function node(tag: string, attrs: Record<string, string> = {}, content?: BinaryNode['content']): BinaryNode {
  return content === undefined ? { tag, attrs } : { tag, attrs, content };
}

export function children(parent: BinaryNode | undefined): BinaryNode[] {
  return Array.isArray(parent?.content) ? parent.content : [];
}

export function child(parent: BinaryNode | undefined, tag: string): BinaryNode | undefined {
  return getBinaryNodeChild(parent, tag);
}

export function childrenNamed(parent: BinaryNode | undefined, tag: string): BinaryNode[] {
  return getBinaryNodeChildren(parent, tag);
}

export function bytes(parent: BinaryNode | undefined): Buffer {
  const content = parent?.content;
  if (content instanceof Uint8Array) return Buffer.from(content);
  if (typeof content === 'string') return Buffer.from(content, 'utf8');
  return Buffer.alloc(0);
}

export function childBytes(parent: BinaryNode | undefined, tag: string): Buffer {
  return bytes(child(parent, tag));
}

export function uint(parent: BinaryNode | undefined, tag: string): number {
  const data = childBytes(parent, tag);
  return data.length === 0 ? 0 : data.readUIntBE(0, data.length);
}

export function iqResult(request: BinaryNode, content?: BinaryNode[]): BinaryNode {
  return node('iq', { from: SERVER_JID, type: 'result', id: request.attrs.id ?? '' }, content);
}

export function bigEndian(value: number, length: number): Uint8Array {
  return encodeBigEndian(value, length);
}
