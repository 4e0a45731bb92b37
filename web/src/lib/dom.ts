/** Whether a key press lands in a form control (then editor shortcuts stay out of the way). */
export function isFormField(target: EventTarget | null): boolean {
  const element = target as HTMLElement | null;
  return !!element && (element.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(element.tagName));
}
