/**
 * The default "scripted model" responder for the scripted OpenAI-compatible server: one
 * implementation, shared with the bench (src/bench/scripted-model.ts).
 */
export { createScriptedModel, NOT_SURE } from '../../src/bench/scripted-model.js';
