import { describe, expect, it } from 'vitest';
import { denyAllPermissions, type PermissionSession } from '../../../../electron/security/permissions';

describe('denyAllPermissions', () => {
  it('refuses every permission request, check and device', () => {
    let request: Parameters<PermissionSession['setPermissionRequestHandler']>[0] | undefined;
    let check: Parameters<PermissionSession['setPermissionCheckHandler']>[0] | undefined;
    let device: Parameters<PermissionSession['setDevicePermissionHandler']>[0] | undefined;
    denyAllPermissions({
      setPermissionRequestHandler: (h) => { request = h; },
      setPermissionCheckHandler: (h) => { check = h; },
      setDevicePermissionHandler: (h) => { device = h; },
    });
    for (const permission of ['media', 'geolocation', 'notifications', 'clipboard-read', 'openExternal', 'hid', 'usb', 'serial', 'fullscreen']) {
      const answers: boolean[] = [];
      request?.({}, permission, (granted) => answers.push(granted));
      expect(answers, permission).toEqual([false]);
      expect(check?.({}, permission), permission).toBe(false);
    }
    expect(device?.({ deviceType: 'usb' })).toBe(false);
  });
});
