CREATE TABLE `retention_state` (
	`name` text PRIMARY KEY NOT NULL,
	`cursor_at` integer NOT NULL,
	`cursor_check_id` integer NOT NULL
);
--> statement-breakpoint
DROP INDEX `checks_module_at`;--> statement-breakpoint
CREATE INDEX `checks_module` ON `checks` (`module_id`);--> statement-breakpoint
CREATE INDEX `checks_at` ON `checks` (`at`);--> statement-breakpoint
ALTER TABLE `modules` ADD `last_check_id` integer;--> statement-breakpoint
ALTER TABLE `modules` ADD `last_check_at` integer;--> statement-breakpoint
CREATE INDEX `modules_watched_last_check_at` ON `modules` (`watched`,`last_check_at`);--> statement-breakpoint
CREATE INDEX `modules_last_check` ON `modules` (`last_check_id`);--> statement-breakpoint
ALTER TABLE `versions` ADD `info_attempts` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `versions` ADD `info_retry_at` integer;--> statement-breakpoint
CREATE INDEX `versions_missing_due` ON `versions` (`info_retry_at`) WHERE time is null and info_mirror_id is null;--> statement-breakpoint
CREATE INDEX `gomod_hashes_check` ON `gomod_hashes` (`check_id`);--> statement-breakpoint
CREATE INDEX `gomod_states_from_check` ON `gomod_states` (`from_check_id`);--> statement-breakpoint
CREATE INDEX `gomod_states_until_check` ON `gomod_states` (`until_check_id`) WHERE until_check_id is not null;--> statement-breakpoint
CREATE INDEX `listings_from_check` ON `listings` (`from_check_id`);--> statement-breakpoint
CREATE INDEX `listings_until_check` ON `listings` (`until_check_id`) WHERE until_check_id is not null;--> statement-breakpoint
CREATE INDEX `listings_last_missing_check` ON `listings` (`last_missing_check_id`) WHERE last_missing_check_id is not null;--> statement-breakpoint
CREATE INDEX `listings_first` ON `listings` (`module_id`,`version`,`mirror_id`,`from_check_id`);--> statement-breakpoint
CREATE INDEX `mirror_states_last_answered` ON `mirror_states` (`last_answered_check_id`);--> statement-breakpoint
CREATE INDEX `outcome_aggregates_period` ON `outcome_aggregates` (`period`,`period_start`);--> statement-breakpoint
-- Hand-written backfill: each module's newest check (the highest id, as lastCheck means it) and its time.
UPDATE `modules` SET `last_check_id` = (SELECT max(`id`) FROM `checks` WHERE `checks`.`module_id` = `modules`.`id`);--> statement-breakpoint
UPDATE `modules` SET `last_check_at` = (SELECT `at` FROM `checks` WHERE `checks`.`id` = `modules`.`last_check_id`);
