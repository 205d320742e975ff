/**
 * `npm run teams:package`: the command run as a process writes a zip whose manifest and
 * localization files pass Microsoft's JSON schemas (checked here with Ajv directly) and whose
 * icons have the sizes and colours Teams requires; a broken manifest fails naming the field.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import AjvDraft04 from 'ajv-draft-04';
import addFormats from 'ajv-formats';
import { unzipSync } from 'fflate';
import { PNG } from 'pngjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createManifestValidator, loadSchema } from '../../../src/channels/teams/package/validate.js';

const run = promisify(execFile);
const cli = path.resolve(import.meta.dirname, '../../../src/channels/teams/package/cli.ts');
const APP_ID = '3f1b2c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'teams-package-'));
});
afterAll(async () => rm(dir, { recursive: true, force: true }));

function packageEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return { ...process.env, MicrosoftAppId: APP_ID, PUBLIC_URL: 'https://assistant.smile.example', TEAMS_APP_NAME: '', TEAMS_PRIVACY_URL: '', TEAMS_TERMS_URL: '', ...extra };
}

async function schemaCheck(name: 'MicrosoftTeams.schema.json' | 'MicrosoftTeams.Localization.schema.json') {
  const ajv = new AjvDraft04.default({ allErrors: true, strict: false, unicodeRegExp: false });
  addFormats.default(ajv);
  return ajv.compile(await loadSchema(name));
}

function png(bytes: Uint8Array | undefined): PNG {
  if (!bytes) throw new Error('icon missing from the package');
  return PNG.sync.read(Buffer.from(bytes));
}

describe('npm run teams:package', () => {
  it('writes a package whose manifest matches the schema, for the configured app id, with both icons', async () => {
    const out = path.join(dir, 'teams-app.zip');
    const { stdout } = await run('npx', ['tsx', cli, '--out', out], { env: packageEnv({ TEAMS_PRIVACY_URL: 'https://smile.example/privacy', TEAMS_APP_VERSION: '1.2.3' }) });
    expect(JSON.parse(stdout)).toMatchObject({ written: out, appId: APP_ID, version: '1.2.3' });
    const files = unzipSync(new Uint8Array(await readFile(out)));
    const read = (name: string) => JSON.parse(new TextDecoder().decode(files[name])) as Record<string, unknown>;
    const manifest = read('manifest.json');

    const validManifest = await schemaCheck('MicrosoftTeams.schema.json');
    expect(validManifest(manifest), JSON.stringify(validManifest.errors)).toBe(true);
    expect(manifest).toMatchObject({
      manifestVersion: '1.28',
      version: '1.2.3',
      id: APP_ID,
      bots: [{ botId: APP_ID, scopes: ['personal', 'team'] }],
      developer: { websiteUrl: 'https://assistant.smile.example', privacyUrl: 'https://smile.example/privacy' },
      name: { short: 'Smile Dental Clinic' },
      icons: { color: 'color.png', outline: 'outline.png' },
      validDomains: ['assistant.smile.example'],
      localizationInfo: { defaultLanguageTag: 'en' },
    });
    const validLocalization = await schemaCheck('MicrosoftTeams.Localization.schema.json');
    for (const language of ['es', 'ru', 'he', 'pt']) {
      const localization = read(`${language}.json`);
      expect(validLocalization(localization), `${language}: ${JSON.stringify(validLocalization.errors)}`).toBe(true);
    }
    expect(read('he.json')['bots[0].commandLists[0].commands[0].title']).toBe('קביעת תור');

    const color = png(files['color.png']);
    expect([color.width, color.height]).toEqual([192, 192]);
    expect(color.data.every((value, index) => index % 4 !== 3 || value === 255)).toBe(true);
    const outline = png(files['outline.png']);
    expect([outline.width, outline.height]).toEqual([32, 32]);
    const pixels = Array.from({ length: 32 * 32 }, (_, i) => [...outline.data.subarray(i * 4, i * 4 + 4)]);
    // White wherever anything is drawn, transparent elsewhere: Teams tints it.
    expect(pixels.every(([r, g, b, a]) => a === 0 || (r === 255 && g === 255 && b === 255))).toBe(true);
    expect(pixels.filter(([, , , a]) => a === 255).length).toBeGreaterThan(50);
    expect(pixels.filter(([, , , a]) => a === 0).length).toBeGreaterThan(400);
  });

  it('fails naming the field and the setting behind it when the manifest breaks the schema, and writes nothing', async () => {
    const out = path.join(dir, 'too-long.zip');
    const failure = await run('npx', ['tsx', cli, '--out', out], { env: packageEnv({ TEAMS_APP_NAME: 'The Smile Dental Clinic Virtual Assistant' }) }).catch(
      (error: { code: number; stderr: string }) => error,
    );
    expect(failure).toMatchObject({
      code: 1,
      stderr: expect.stringContaining('manifest.json name.short: must NOT have more than 30 characters (set by TEAMS_APP_NAME'),
    });
    await expect(stat(out)).rejects.toThrow();
  });

  it('fails naming MicrosoftAppId and PUBLIC_URL when they are missing', async () => {
    const failure = await run('npx', ['tsx', cli, '--out', path.join(dir, 'x.zip')], { env: packageEnv({ MicrosoftAppId: '', PUBLIC_URL: 'http://insecure.example' }) }).catch(
      (error: { code: number; stderr: string }) => error,
    );
    expect(failure).toMatchObject({ code: 1 });
    expect((failure as { stderr: string }).stderr).toMatch(/MicrosoftAppId: required/);
    expect((failure as { stderr: string }).stderr).toMatch(/PUBLIC_URL: required, starting with https:\/\//);
  });
});

describe('the manifest validator', () => {
  it('names the wrong field of a broken manifest', async () => {
    const validator = await createManifestValidator();
    const problems = validator.validate('manifest.json', 'MicrosoftTeams.schema.json', {
      $schema: 'https://developer.microsoft.com/json-schemas/teams/v1.28/MicrosoftTeams.schema.json',
      manifestVersion: '1.28',
      version: '1.0.0',
      id: 'not-a-guid',
      developer: { name: 'Clinic', websiteUrl: 'https://x.example', privacyUrl: 'https://x.example', termsOfUseUrl: 'https://x.example' },
      name: { short: 'Clinic' },
      description: { short: 'Short', full: 'Full' },
      icons: { color: 'color.png', outline: 'outline.png' },
      accentColor: 'blue',
      bots: [{ scopes: ['personal'] }],
      surprise: true,
    });
    const fields = problems.map((problem) => problem.field);
    expect(fields).toEqual(expect.arrayContaining(['id', 'accentColor', 'bots[0].botId', 'surprise']));
    expect(problems.find((problem) => problem.field === 'bots[0].botId')?.message).toBe('is required');
    expect(problems.find((problem) => problem.field === 'surprise')?.message).toBe('is not allowed here');
  });
});
