/** Matches the server's default MAX_REQUEST_BODY_BYTES; a bigger file would be refused anyway. */
export const MAX_IMPORT_BYTES = 1_048_576;

export function downloadJson(fileName: string, value: unknown): void {
  const url = URL.createObjectURL(new Blob([JSON.stringify(value, null, 2)], { type: 'application/json' }));
  const link = Object.assign(document.createElement('a'), { href: url, download: fileName });
  link.click();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

export async function readJsonFile(file: File): Promise<unknown> {
  if (file.size > MAX_IMPORT_BYTES)
    throw new Error(`${file.name} is ${file.size} bytes; the limit is ${MAX_IMPORT_BYTES}`);
  try {
    return JSON.parse(await file.text());
  } catch {
    throw new Error(`${file.name} is not valid JSON`);
  }
}
