/**
 * What the Teams channel keeps in the system of record. References are opaque JSON made by the
 * channel adapter (a Bot Framework ConversationReference); nothing else reads inside them.
 */

export type TeamsReference = Record<string, unknown>;

export type TeamsConversationKind = 'personal' | 'groupChat' | 'channel';

export interface TeamsConversation {
  conversationId: string;
  kind: TeamsConversationKind;
  /** Personal chats: the user's Microsoft Entra object id (their identity on the teams channel). */
  userAadId: string | null;
  teamId: string | null;
  reference: TeamsReference;
  greetedAt: Date | null;
}

export type NewTeamsConversation = Omit<TeamsConversation, 'greetedAt'>;

/** `claimed`: this caller sends, starting after `sentCount` replies. Otherwise someone else did or does. */
export type DeliveryClaim = { claimed: true; sentCount: number } | { claimed: false; status: 'sent' | 'sending' };

export interface TeamsAlertChannel {
  reference: TeamsReference;
  teamId: string | null;
  teamName: string | null;
  channelName: string | null;
  /** Who pointed the alerts here (an email, or "console"). */
  setBy: string;
  setAt: Date;
}

export interface TeamsAlertCard {
  escalationId: string;
  reference: TeamsReference;
  /** Null while it is being posted. */
  activityId: string | null;
  shownState: string;
}

export interface TeamsRepository {
  /** Inserts or refreshes the reference (a conversation's service URL can change). */
  saveConversation(conversation: NewTeamsConversation): Promise<void>;
  findConversation(conversationId: string): Promise<TeamsConversation | null>;
  /** True for the first caller only: the conversation is greeted once. */
  markGreeted(conversationId: string): Promise<boolean>;
  /** Forgets a conversation (the app was removed); returns how many were forgotten. */
  forgetConversation(conversationId: string): Promise<number>;
  /** Forgets every conversation of a team (the app was removed from it), the alert channel included. */
  forgetTeam(teamId: string): Promise<number>;

  /**
   * Claims a delivery for sending: a new id, one that failed before, or one whose sender went
   * silent for `leaseSeconds`. Refused when it was sent, or is being sent right now.
   */
  claimDelivery(deliveryId: string, conversationId: string, leaseSeconds: number): Promise<DeliveryClaim>;
  recordDeliveryProgress(deliveryId: string, sentCount: number): Promise<void>;
  finishDelivery(deliveryId: string, status: 'sent' | 'failed'): Promise<void>;
  /** Deletes delivery records last touched before `cutoff`; returns how many. */
  purgeDeliveries(cutoff: Date): Promise<number>;

  setAlertChannel(channel: Omit<TeamsAlertChannel, 'setAt'>): Promise<void>;
  findAlertChannel(): Promise<TeamsAlertChannel | null>;
  /** True when there was one. */
  clearAlertChannel(): Promise<boolean>;

  /**
   * Claims posting the alert card of an escalation: true for one caller while none is posted
   * (or a post was abandoned `staleSeconds` ago).
   */
  claimAlertCard(escalationId: string, reference: TeamsReference, shownState: string, staleSeconds: number): Promise<boolean>;
  alertCardPosted(escalationId: string, activityId: string): Promise<void>;
  /** A post that failed: the next change may try again. */
  dropAlertCard(escalationId: string): Promise<void>;
  findAlertCard(escalationId: string): Promise<TeamsAlertCard | null>;
  /** Compare-and-set of what a posted card shows: true for the one caller that moved it. */
  swapAlertCardState(escalationId: string, from: string, to: string): Promise<boolean>;
}
