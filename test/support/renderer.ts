import { loadClinic } from '../../src/config/clinic.js';
import { createTranslator } from '../../src/i18n/i18n.js';
import { defaultLocalesDir } from '../../src/i18n/locales-dir.js';
import { createRenderer, type Renderer } from '../../src/i18n/render.js';

/** The app's own renderer over the shipped locales and the demo clinic, to know a reply's exact text. */
export async function createClinicRenderer(): Promise<Renderer> {
  return createRenderer(await createTranslator(defaultLocalesDir()), await loadClinic());
}
