import { useCallback, useEffect, useRef, useState } from 'react';
import { api } from '../lib/api.ts';
import { emitWithAck, getSocket } from '../lib/socket.ts';
import type { Execution, ExecutionEvent } from '../lib/types.ts';
import { applyEvent, emptyRun, type RunState } from './run-state.ts';

const REFRESH_DELAY_MS = 150;

/**
 * Follows one execution: its events over socket.io (replayed from the last offset seen, also after a
 * reconnect) fold into node statuses and a timeline; the full execution (steps, waiting) is re-read after them.
 */
export function useRun(executionId: string | null) {
  const [run, setRun] = useState<RunState | null>(null);
  const [execution, setExecution] = useState<Execution | null>(null);
  const [error, setError] = useState<unknown>(null);
  const lastOffset = useRef(0);

  const refresh = useCallback(async () => {
    if (!executionId) return;
    try {
      setExecution(await api<Execution>('GET', `/api/v1/executions/${executionId}`));
    } catch (caught) {
      setError(caught);
    }
  }, [executionId]);

  useEffect(() => {
    setExecution(null);
    setError(null);
    if (!executionId) return setRun(null);
    setRun(emptyRun(executionId));
    lastOffset.current = 0;
    const socket = getSocket();
    let timer: ReturnType<typeof setTimeout> | undefined;
    const onEvent = (event: ExecutionEvent) => {
      if (event.executionId !== executionId) return;
      lastOffset.current = Math.max(lastOffset.current, event.offset);
      setRun((state) => (state ? applyEvent(state, event) : state));
      clearTimeout(timer);
      // Step events come in bursts (one read after the burst); a change of the execution's state is read at once.
      timer = setTimeout(() => void refresh(), event.type.startsWith('execution.') ? 0 : REFRESH_DELAY_MS);
    };
    const subscribe = () => {
      emitWithAck('execution.subscribe', { executionId, afterOffset: lastOffset.current }).catch(setError);
    };
    socket.on('execution.event', onEvent);
    socket.on('connect', subscribe);
    if (socket.connected) subscribe();
    void refresh();
    return () => {
      clearTimeout(timer);
      socket.off('execution.event', onEvent);
      socket.off('connect', subscribe);
      socket.emit('execution.unsubscribe', { executionId });
    };
  }, [executionId, refresh]);

  return { run, execution, error, refresh, setExecution };
}

export type RunFollow = ReturnType<typeof useRun>;
