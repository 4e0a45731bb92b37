/**
 * Every migration this version ships, in order, restated here (not read from the journal) so that a migration
 * added, dropped or renamed by mistake fails the migration tests.
 */
export const SHIPPED_MIGRATIONS = [
  '0000_foundation',
  '0001_engine',
  '0002_conversations',
  '0003_execution_lease',
  '0004_accounts',
  '0005_sign_in_failures',
  '0006_triggers',
  '0007_knowledge',
  '0008_knowledge_vector',
  '0009_sms_channel',
  '0010_assistant_tasks',
  '0011_sms_knowledge',
  '0012_knowledge_reembed',
];
