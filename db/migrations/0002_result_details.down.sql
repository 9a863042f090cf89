ALTER TABLE check_results DROP COLUMN IF EXISTS details;
