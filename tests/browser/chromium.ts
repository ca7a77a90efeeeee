import { chromiumArgs } from '../../playwright.config.mts';

/**
 * Debian's Chromium, never a downloaded browser (docs: handbook/toolchain.md, "Browser tests").
 * The flags are the e2e suite's own (playwright.config.mts), so both run the same browser.
 */
export const chromiumExecutable = (): string => process.env['RELAIS_CHROMIUM'] ?? '/usr/bin/chromium';

export const harnessChromiumArgs: readonly string[] = chromiumArgs;
