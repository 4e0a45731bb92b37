import { readFile, stat } from 'node:fs/promises';

const MAX_FILE_BYTES = 10 * 1024 * 1024;

/** Reads a JSON file, failing with a message that names the file and what is wrong with it. */
export async function readJsonFile(path: string): Promise<unknown> {
  let size: number;
  try {
    size = (await stat(path)).size;
  } catch {
    throw new CliError(`cannot read ${path}: the file does not exist or is not readable`);
  }
  if (size > MAX_FILE_BYTES)
    throw new CliError(`${path} is ${size} bytes; workflow files are at most ${MAX_FILE_BYTES} bytes`);
  const text = await readFile(path, 'utf8');
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new CliError(`${path} is not valid JSON: ${(error as Error).message}`);
  }
}

/** An error whose message is meant for the terminal as is; `exitCode` 1 = failure, 2 = usage. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode = 1,
  ) {
    super(message);
    this.name = 'CliError';
  }
}
