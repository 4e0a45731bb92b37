import { useEffect, useRef, useState } from 'react';
import { api } from '../lib/api.ts';
import { emitWithAck, getSocket } from '../lib/socket.ts';
import type { ChatAnswer, ChatTurn, Conversation } from '../lib/types.ts';
import { ErrorBox } from '../ui/feedback.tsx';
import { CitationLinks } from '../knowledge/CitationLinks.tsx';
import { citationsIn } from '../knowledge/knowledge-logic.ts';
import { KnowledgeBasePicker } from '../knowledge/KnowledgeBasePicker.tsx';
import {
  addPending,
  changesDraft,
  executionOf,
  tooLongText,
  MAX_SHOWN_TURNS,
  mergeTurn,
  type ShownTurn,
} from './chat-logic.ts';

interface ChatPanelProps {
  workflowId: string;
  /** The chat started or steered a run: the canvas follows it. */
  onExecution: (executionId: string) => void;
  /** The chat changed the draft: the canvas reloads it. */
  onDraftChanged: () => void;
  /** What was done on the canvas side (a run started, a step approved), shown in the history as it happens. */
  canvasNote?: { key: number; text: string } | null;
  hidden?: boolean;
}

/**
 * Talk to the workflow. Turns arrive over the socket (`conversation.turn`), whichever side produced them,
 * so progress the engine pushes shows up here too; the message ack tells what the chat did.
 */
export function ChatPanel({ workflowId, onExecution, onDraftChanged, canvasNote, hidden }: ChatPanelProps) {
  const [conversation, setConversation] = useState<Conversation | null>(null);
  const [turns, setTurns] = useState<ShownTurn[]>([]);
  const [suggestions, setSuggestions] = useState<string[]>([]);
  const [text, setText] = useState('');
  const tooLong = tooLongText(text);
  const [sending, setSending] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [knowledgeBaseId, setKnowledgeBaseId] = useState('');
  const bottom = useRef<HTMLDivElement>(null);
  const callbacks = useRef({ onExecution, onDraftChanged });
  callbacks.current = { onExecution, onDraftChanged };

  useEffect(() => {
    let stopped = false;
    const socket = getSocket();
    let conversationId: string | null = null;
    const onTurn = (turn: ChatTurn & { conversationId: string }) => {
      if (turn.conversationId !== conversationId) return;
      setTurns((all) => mergeTurn(all, { role: turn.role, text: turn.text, intent: turn.intent, action: turn.action }));
    };
    const join = () => {
      if (conversationId) emitWithAck('conversation.subscribe', { conversationId }).catch(setError);
    };
    socket.on('conversation.turn', onTurn);
    socket.on('connect', join);
    api<Conversation>('POST', '/api/v1/conversations', { workflowId, channel: 'web' }).then((created) => {
      if (stopped) return;
      conversationId = created.id;
      setConversation(created);
      setTurns(created.reply ? [{ role: 'assistant', text: created.reply }] : []);
      setSuggestions(created.suggestedActions ?? []);
      if (socket.connected) join();
    }, setError);
    return () => {
      stopped = true;
      socket.off('conversation.turn', onTurn);
      socket.off('connect', join);
    };
  }, [workflowId]);

  useEffect(() => {
    if (canvasNote)
      setTurns((all) => [...all, { role: 'note' as const, text: canvasNote.text }].slice(-MAX_SHOWN_TURNS));
  }, [canvasNote]);

  useEffect(() => {
    bottom.current?.scrollIntoView({ block: 'end' });
  }, [turns]);

  /** Questions are answered from the chosen knowledge base, with links to the passages used. */
  async function bindKnowledge(knowledgeBaseId: string) {
    if (!conversation) return;
    setError(null);
    try {
      await api('PATCH', `/api/v1/conversations/${conversation.id}`, { knowledgeBaseId: knowledgeBaseId || null });
      setKnowledgeBaseId(knowledgeBaseId);
    } catch (caught) {
      setError(caught);
    }
  }

  async function send(message: string) {
    const trimmed = message.trim();
    if (!conversation || !trimmed || sending || tooLongText(trimmed)) return;
    setSending(true);
    setError(null);
    setText('');
    const sent = trimmed;
    setTurns((all) => addPending(all, sent));
    try {
      const answer = await emitWithAck<ChatAnswer>(
        'conversation.message',
        { conversationId: conversation.id, text: sent },
        30_000,
      );
      setSuggestions(answer.suggestedActions ?? []);
      const executionId = executionOf(answer);
      if (executionId) callbacks.current.onExecution(executionId);
      if (changesDraft(answer)) callbacks.current.onDraftChanged();
    } catch (caught) {
      setError(caught);
      setText(trimmed);
      setTurns((all) => all.filter((t) => !(t.pending && t.text === sent)));
    } finally {
      setSending(false);
    }
  }

  return (
    <aside className="chat" aria-label="Chat" data-testid="chat" hidden={hidden}>
      {conversation && (
        <div className="chat-knowledge">
          <label htmlFor="chat-kb">Answer from</label>
          <KnowledgeBasePicker id="chat-kb" value={knowledgeBaseId} onChange={(id) => void bindKnowledge(id)} />
        </div>
      )}
      <div className="chat-log" role="log" aria-live="polite">
        {!conversation && !error && (
          <div className="loading">
            <span className="spinner" /> Starting a conversation…
          </div>
        )}
        {turns.map((turn, i) => (
          <div
            key={i}
            className={`bubble ${turn.role}${turn.intent === 'progress' ? ' progress' : ''}${turn.pending ? ' pending' : ''}`}
            data-intent={turn.intent ?? ''}
          >
            {turn.text}
            <CitationLinks citations={citationsIn(turn.action)} />
          </div>
        ))}
        {sending && (
          <div className="bubble assistant typing" aria-label="Duet is answering">
            …
          </div>
        )}
        <div ref={bottom} />
      </div>
      <ErrorBox error={error} />
      {suggestions.length > 0 && (
        <div className="suggestions">
          {suggestions.slice(0, 6).map((s) => (
            <button type="button" key={s} disabled={sending} onClick={() => void send(s)}>
              {s}
            </button>
          ))}
        </div>
      )}
      <form
        className="chat-input"
        onSubmit={(e) => {
          e.preventDefault();
          void send(text);
        }}
      >
        <label className="sr-only" htmlFor="chat-text">
          Message
        </label>
        <input
          id="chat-text"
          placeholder={conversation ? 'Ask, run, approve… e.g. "run it"' : 'Connecting…'}
          value={text}
          aria-invalid={tooLong !== null}
          aria-describedby={tooLong ? 'chat-too-long' : undefined}
          disabled={!conversation}
          onChange={(e) => setText(e.target.value)}
          autoComplete="off"
        />
        <button
          className="primary"
          type="submit"
          disabled={!conversation || sending || !text.trim() || tooLong !== null}
        >
          Send
        </button>
      </form>
      {tooLong && (
        <p id="chat-too-long" className="form-error chat-too-long" role="alert">
          {tooLong}
        </p>
      )}
    </aside>
  );
}
