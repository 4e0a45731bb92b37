import { z } from 'zod';

/** A phone number as SMS providers write it: E.164, a + and up to 15 digits, no spaces. */
export const phoneSchema = z
  .string()
  .trim()
  .regex(/^\+[1-9]\d{6,14}$/, 'a phone number is written in E.164 form, e.g. +15005550006 (no spaces)');
