import { createInterface } from 'node:readline';
import type { Command } from 'commander';
import { callApi, DEFAULT_URL } from '../api-client.ts';
import { CliError } from '../read-json.ts';

interface Started {
  id: string;
  reply: string;
  suggestedActions: string[];
}
interface Answer {
  reply: string;
  suggestedActions: string[];
}

/** An interactive chat in the terminal; each line is a message, the replies come back as they are. */
export function registerChat(program: Command) {
  program
    .command('chat')
    .description(
      'talk to Duet in the terminal: run workflows, answer their questions, steer them (Ctrl+D or "exit" to leave)',
    )
    .argument('[workflow]', 'bind the chat to this workflow (id or slug)')
    .option('--url <url>', 'the Duet server (env DUET_URL)', process.env.DUET_URL || DEFAULT_URL)
    .action(async (workflow: string | undefined, options: { url: string }) => {
      const started: Started = await callApi(options.url, 'POST', '/api/v1/conversations', {
        channel: 'cli',
        ...(workflow ? { workflowId: workflow } : {}),
      });
      const print = (answer: Answer) => {
        console.log(`duet> ${answer.reply}`);
        if (answer.suggestedActions.length > 0 && process.stdin.isTTY)
          console.log(`      (try: ${answer.suggestedActions.join(' · ')})`);
      };
      print(started);
      // In a terminal readline takes over echoing what is typed, so it needs the terminal as its output; piped
      // input is not echoed (the transcript stays the replies alone).
      const terminal = process.stdin.isTTY === true;
      const lines = createInterface({
        input: process.stdin,
        terminal,
        ...(terminal ? { output: process.stdout } : {}),
      });
      if (terminal) lines.setPrompt('you> ');
      lines.prompt();
      for await (const line of lines) {
        const text = line.trim();
        if (text === 'exit' || text === 'quit') break;
        if (text) {
          try {
            print(await callApi(options.url, 'POST', `/api/v1/conversations/${started.id}/messages`, { text }));
          } catch (error) {
            if (!(error instanceof CliError)) throw error;
            console.error(`duet> ${error.message}`);
          }
        }
        lines.prompt();
      }
      lines.close();
    });
}
