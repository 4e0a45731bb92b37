import { useEffect, useRef, useState } from 'react';
import { emitWithAck, getSocket } from './socket.ts';
import type { ExecutionEvent } from './types.ts';

/**
 * Follows every execution of the given workspaces over socket.io (`workspace.subscribe`), joining again after a
 * reconnect; calls `onEvent` for each event and says whether the feed is live.
 */
export function useWorkspaceEvents(workspaceIds: string[], onEvent: (event: ExecutionEvent) => void): boolean {
  const [live, setLive] = useState(false);
  const handler = useRef(onEvent);
  handler.current = onEvent;
  const key = workspaceIds.join(',');

  useEffect(() => {
    if (!key) return;
    const ids = key.split(',');
    const socket = getSocket();
    // Only workspace-room events carry the workflow id; events of a followed execution do not.
    const onExecutionEvent = (event: ExecutionEvent) => {
      if (event.workflowId) handler.current(event);
    };
    const join = () =>
      Promise.all(ids.map((workspaceId) => emitWithAck('workspace.subscribe', { workspaceId }))).then(
        () => setLive(true),
        () => setLive(false),
      );
    const lost = () => setLive(false);
    socket.on('execution.event', onExecutionEvent);
    socket.on('connect', join);
    socket.on('disconnect', lost);
    if (socket.connected) void join();
    return () => {
      socket.off('execution.event', onExecutionEvent);
      socket.off('connect', join);
      socket.off('disconnect', lost);
      for (const workspaceId of ids) socket.emit('workspace.unsubscribe', { workspaceId });
    };
  }, [key]);
  return live;
}

/** Calls `work` once events stop arriving for `delayMs` (a burst of events makes one reload). */
export function useDebounced(work: () => void, delayMs: number): () => void {
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const latest = useRef(work);
  latest.current = work;
  useEffect(() => () => clearTimeout(timer.current), []);
  return useRef(() => {
    clearTimeout(timer.current);
    timer.current = setTimeout(() => latest.current(), delayMs);
  }).current;
}
