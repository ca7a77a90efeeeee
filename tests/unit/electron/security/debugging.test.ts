import { describe, expect, it } from 'vitest';
import { debuggingSwitchesIn, menuOffersDebugging, packagedMenuTemplate } from '../../../../electron/security/debugging';

describe('debugging switches a packaged Relais refuses', () => {
  it('finds every spelling an attacker would try', () => {
    expect(debuggingSwitchesIn(['/opt/Relais/relais', '--remote-debugging-port=9222'])).toEqual(['remote-debugging-port']);
    expect(debuggingSwitchesIn(['relais', '--remote-debugging-pipe'])).toEqual(['remote-debugging-pipe']);
    expect(debuggingSwitchesIn(['relais', '--inspect=0.0.0.0:9229', '--inspect-brk'])).toEqual(['inspect', 'inspect-brk']);
    expect(debuggingSwitchesIn(['relais', '-inspect'])).toEqual(['inspect']);
    expect(debuggingSwitchesIn(['relais', '--Remote-Debugging-Port', '9222'])).toEqual(['remote-debugging-port']);
    expect(debuggingSwitchesIn(['relais', '--remote_debugging_port=1'])).toEqual(['remote-debugging-port']);
    expect(debuggingSwitchesIn(['relais', '--js-flags=--allow-natives-syntax'])).toEqual(['js-flags']);
    expect(debuggingSwitchesIn(['relais', '--auto-open-devtools-for-tabs'])).toEqual(['auto-open-devtools-for-tabs']);
  });

  it('leaves ordinary arguments alone', () => {
    expect(debuggingSwitchesIn(['relais', '--no-sandbox-is-not-here', 'relais://app', '--lang=fr', 'inspect', '--inspector-ui'])).toEqual([]);
  });
});

describe('packaged application menu', () => {
  it('offers neither DevTools nor reload on any platform (none at all outside macOS)', () => {
    expect(packagedMenuTemplate('linux')).toBeNull();
    expect(packagedMenuTemplate('win32')).toBeNull();
    const mac = packagedMenuTemplate('darwin');
    expect(mac?.map((m) => m.role)).toEqual(['appMenu', 'editMenu', 'windowMenu']);
    expect(menuOffersDebugging(mac)).toBe(false);
  });

  it('the check itself sees a DevTools item however deep it is', () => {
    expect(menuOffersDebugging([{ label: 'View', submenu: [{ label: 'x', submenu: [{ role: 'toggleDevTools' }] }] }])).toBe(true);
    expect(menuOffersDebugging([{ role: 'viewMenu' }])).toBe(true);
    expect(menuOffersDebugging([{ label: 'File', submenu: [{ role: 'reload' }] }])).toBe(true);
  });
});
