import type { z } from 'zod';

/** How a conversation journey treats a step: where it begins, asks a person, works, branches or ends. */
export type JourneyStateKind = 'initial' | 'chat' | 'tool' | 'fork' | 'final';

/** Keys of the pictures the web app draws for blocks; it maps each key to its own icon. */
export type BlockIcon =
  | 'play'
  | 'code'
  | 'exchange'
  | 'diamond'
  | 'fork'
  | 'sparkle'
  | 'pencil'
  | 'check'
  | 'clock'
  | 'repeat'
  | 'lanes'
  | 'stack'
  | 'reply'
  | 'book'
  | 'bell'
  | 'assistant';

/**
 * Everything Duet knows about a block type apart from how it runs (the runner in src/engine/blocks/):
 * the palette, the chat, the journey, the validator and the executor all read it from here.
 * Adding a block means one descriptor here and one runner there.
 */
export interface BlockDescriptor<Schema extends z.ZodType = z.ZodType> {
  /** What people call it: the palette entry and the name a block added by chat gets. */
  label: string;
  /** One line saying what it does, shown next to the label. */
  description: string;
  icon: BlockIcon;
  configSchema: Schema;
  /** The config a block added from the palette or a chat starts with; its own schema accepts it. */
  defaultConfig: z.input<Schema>;
  /**
   * The outputs edges may leave by, besides `error` which every block has: a fixed list (`null` is the
   * plain "next" output), or read from a valid config (a router's route names).
   */
  outputs: ReadonlyArray<string | null> | { fromConfig(config: z.output<Schema>): readonly string[] };
  /**
   * Whether running a step is seen outside the engine.
   * - `none`: the result depends only on the config and the execution's data; it neither calls out nor waits,
   *   and running it again gives the same result. Such steps may run back-to-back in memory and have their
   *   start written together with their result.
   * - `external`: it calls a service, waits for a person or a time, or starts child executions. It is an
   *   effect boundary: its start is committed before it runs.
   */
  effects: 'none' | 'external';
  /** A container holds child nodes (`parentId`); `entry` says in words how it runs them. */
  container?: { entry: string };
  journeyKind: JourneyStateKind;
}

/** Keeps a descriptor's config schema type, so its default config and outputs are checked against it. */
export function defineBlock<Schema extends z.ZodType>(descriptor: BlockDescriptor<Schema>): BlockDescriptor<Schema> {
  return descriptor;
}
