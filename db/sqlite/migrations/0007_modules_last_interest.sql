ALTER TABLE `modules` ADD `last_interest_at` integer;--> statement-breakpoint
-- Views were not recorded before this column: modules stored earlier count as looked at now, so none expires on upgrade day.
UPDATE `modules` SET `last_interest_at` = CAST(unixepoch('subsec') * 1000 AS INTEGER);
