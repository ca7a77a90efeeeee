import type { MenuItemConstructorOptions } from 'electron';

/**
 * A packaged Relais cannot be debugged from outside: main holds the tokens and the keychain, and
 * the page holds the open replica's keys. The fuses (electron-builder.yml) turn off Node's
 * --inspect, NODE_OPTIONS and ELECTRON_RUN_AS_NODE; Chromium's remote-debugging switches have no
 * fuse, so main refuses to start with any of them. DevTools are off in the window's preferences,
 * and the menu offers neither DevTools nor reload.
 */
export const debuggingSwitches = [
  'remote-debugging-port',
  'remote-debugging-pipe',
  'remote-debugging-address',
  'remote-debugging-io-pipes',
  'remote-allow-origins',
  'auto-open-devtools-for-tabs',
  'inspect',
  'inspect-brk',
  'inspect-port',
  'inspect-publish-uid',
  'debug',
  'debug-brk',
  'js-flags',
] as const;

/** The debugging switches on a command line (`--name`, `--name=value`, `-name`, any case). */
export function debuggingSwitchesIn(argv: readonly string[]): string[] {
  const found = new Set<string>();
  for (const arg of argv) {
    const match = /^--?([A-Za-z][A-Za-z0-9_-]*)(?:=.*)?$/s.exec(arg);
    if (match === null) continue;
    const name = (match[1] as string).toLowerCase().replace(/_/g, '-');
    if ((debuggingSwitches as readonly string[]).includes(name)) found.add(name);
  }
  return [...found];
}

/** Menu roles that would open DevTools or reload the page (losing the unlocked state's guarantees). */
const forbiddenRoles = new Set(['toggleDevTools', 'toggledevtools', 'reload', 'forceReload', 'forcereload', 'viewMenu', 'viewmenu']);

/**
 * The packaged application menu: on macOS the app menu, Edit (copy and paste in forms) and
 * Window; elsewhere none (Relais has its own navigation; text fields keep their shortcuts).
 */
export function packagedMenuTemplate(platform: string): MenuItemConstructorOptions[] | null {
  if (platform !== 'darwin') return null;
  return [
    { role: 'appMenu', submenu: [{ role: 'about' }, { type: 'separator' }, { role: 'hide' }, { role: 'hideOthers' }, { role: 'unhide' }, { type: 'separator' }, { role: 'quit' }] },
    { role: 'editMenu' },
    { role: 'windowMenu' },
  ];
}

/** Whether a menu template offers DevTools or reload anywhere (used by the tests and at start). */
export function menuOffersDebugging(template: readonly MenuItemConstructorOptions[] | null): boolean {
  if (template === null) return false;
  return template.some(
    (item) =>
      (item.role !== undefined && forbiddenRoles.has(item.role)) ||
      (Array.isArray(item.submenu) && menuOffersDebugging(item.submenu as MenuItemConstructorOptions[])),
  );
}
