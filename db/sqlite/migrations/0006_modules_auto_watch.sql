ALTER TABLE `modules` ADD `auto_watch` integer DEFAULT true NOT NULL;--> statement-breakpoint
-- A checked module that is not watched was un-watched by someone before this column existed: that choice stands.
UPDATE `modules` SET `auto_watch` = 0 WHERE `watched` = 0 AND `last_check_id` IS NOT NULL;
