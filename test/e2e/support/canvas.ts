import { expect } from 'vitest';
import type { Locator, Page } from 'playwright-core';

/** Drags a block from the palette onto the canvas at a fraction of the canvas's size (real HTML5 drag and drop). */
export async function dragBlock(page: Page, type: string, at: { x: number; y: number }): Promise<void> {
  const canvas = page.getByTestId('canvas');
  const box = (await canvas.boundingBox())!;
  await page.dragAndDrop(`[data-block-type="${type}"]`, '[data-testid="canvas"]', {
    targetPosition: { x: box.width * at.x, y: box.height * at.y },
  });
}

/** Connects an output handle of one node to the input of another with the mouse, as a person would. */
export async function connect(page: Page, sourceNodeId: string, handle: string, targetNodeId: string): Promise<void> {
  const from = await center(page.locator(`[data-testid="node-${sourceNodeId}"] [data-handle="${handle}"]`));
  const to = await center(page.locator(`[data-testid="node-${targetNodeId}"] .handle-in`));
  await page.mouse.move(from.x, from.y);
  await page.mouse.down();
  await page.mouse.move((from.x + to.x) / 2, (from.y + to.y) / 2, { steps: 5 });
  await page.mouse.move(to.x, to.y, { steps: 5 });
  await page.mouse.up();
}

async function center(locator: Locator): Promise<{ x: number; y: number }> {
  const box = await locator.boundingBox();
  expect(box, 'the handle is on screen').not.toBeNull();
  return { x: box!.x + box!.width / 2, y: box!.y + box!.height / 2 };
}

/** Waits until a canvas node shows the given run status. */
export async function expectRunStatus(page: Page, nodeId: string, status: string, timeout = 20_000): Promise<void> {
  await page.locator(`[data-testid="node-${nodeId}"][data-run-status="${status}"]`).waitFor({ timeout });
}
