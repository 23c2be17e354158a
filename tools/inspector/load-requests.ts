// Where the inspector's records come from: the runner hands over the newest log lines (reading
// files natively, or through `docker compose` for containers), and joinLogs turns them into records.
// Nothing is stored besides the logs themselves, which the runner keeps bounded by rotating them.
import type { Stack } from '../runners/runner.js';
import { joinLogs } from './join-logs.js';
import type { InspectedRequest } from './records.js';

/** The newest `max` requests, oldest first. */
export async function loadRequests(stack: Stack, max: number): Promise<InspectedRequest[]> {
  // The app's log holds other events too (sign-ins, errors), so read more of it than of nginx's.
  const logs = await stack.requestLogs(max * 2);
  return joinLogs(logs.nginx, logs.app, max);
}
