import type { Database } from '../../src/store/db.ts';
import { readCatalog, readTable, useStableTextForms } from '../../src/store/backup/catalog.ts';
import { encodeRow } from '../../src/store/backup/format.ts';

/** Every row of every data table as its backup line, sorted: two databases with equal dumps hold the same bytes. */
export async function dumpTables(db: Database): Promise<Record<string, string[]>> {
  return db.orm.transaction(async (tx) => {
    await useStableTextForms(tx);
    const dump: Record<string, string[]> = {};
    for (const table of await readCatalog(tx)) {
      const lines: string[] = [];
      for await (const values of readTable(tx, table.name, table.columns)) lines.push(encodeRow(values));
      dump[table.name] = lines.sort();
    }
    return dump;
  });
}

/** A workflow that stops at an approval: start → prep (function) → ask (approval) → done. */
export function approvalGraph() {
  return {
    name: 'Needs approval',
    nodes: [
      { id: 'start', type: 'start', name: 'Start' },
      {
        id: 'prep',
        type: 'function',
        name: 'Prepare',
        config: { code: 'return { zeta: 1, alpha: input.amount, mid: [3, { y: 1, b: 2 }] };' },
      },
      { id: 'ask', type: 'approval', name: 'Manager approval', config: { prompt: 'Approve {{input.amount}}?' } },
      {
        id: 'done',
        type: 'response',
        name: 'Done',
        config: { output: { approved: true, prep: '{{steps.prep.output}}' } },
      },
    ],
    edges: [
      { id: 'e1', source: 'start', target: 'prep' },
      { id: 'e2', source: 'prep', target: 'ask' },
      { id: 'e3', source: 'ask', sourceHandle: 'approved', target: 'done' },
    ],
  };
}
