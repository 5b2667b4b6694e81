// The two IPC channels between preload and main; everything else is refused.
export const CALL_CHANNEL = 'kortstation:call';
export const EVENT_CHANNEL = 'kortstation:event';
