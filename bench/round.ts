/**
 * One round of one benchmark, in a process of its own (started by run.ts with --expose-gc), so a
 * round's memory and JIT state never leak into the next. The result goes back over the IPC channel.
 */
import type { Benchmark } from './machine.ts';

const name = process.argv[2];
const { benchmark } = (await import(`./${name}.ts`)) as { benchmark: Benchmark };
const result = await benchmark.round();
// Exit once the result is sent: a round must not hang the run on a handle someone forgot to close.
if (process.send) process.send(result, () => process.exit(0));
else console.log(JSON.stringify(result, null, 2));
