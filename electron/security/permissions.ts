/** The parts of Electron's Session that decide permissions. */
export type PermissionSession = Readonly<{
  setPermissionRequestHandler(handler: (webContents: unknown, permission: string, callback: (granted: boolean) => void) => void): void;
  setPermissionCheckHandler(handler: (webContents: unknown, permission: string) => boolean): void;
  setDevicePermissionHandler(handler: (details: unknown) => boolean): void;
}>;

/**
 * Relais needs no camera, microphone, geolocation, notifications, HID, USB or serial device:
 * every request and every check is refused. (Electron security checklist: "Handle session permission requests".)
 */
export function denyAllPermissions(session: PermissionSession): void {
  session.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  session.setPermissionCheckHandler(() => false);
  session.setDevicePermissionHandler(() => false);
}
