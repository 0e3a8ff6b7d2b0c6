CREATE TABLE `check_outcomes` (
	`check_id` integer NOT NULL,
	`mirror_id` integer NOT NULL,
	`outcome` text NOT NULL,
	`list_outcome` text NOT NULL,
	`status` integer,
	`latency_ms` integer NOT NULL,
	`message` text,
	`cache_control` text,
	`age` integer,
	`latest_version` text,
	`list_count` integer,
	`requests` integer NOT NULL,
	`passive` integer DEFAULT false NOT NULL,
	PRIMARY KEY(`check_id`, `mirror_id`),
	FOREIGN KEY (`check_id`) REFERENCES `checks`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`mirror_id`) REFERENCES `mirrors`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `checks` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`module_id` integer NOT NULL,
	`at` integer NOT NULL,
	`trigger` text NOT NULL,
	FOREIGN KEY (`module_id`) REFERENCES `modules`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `checks_module_at` ON `checks` (`module_id`,`at`);--> statement-breakpoint
CREATE TABLE `gomod_hashes` (
	`module_id` integer NOT NULL,
	`mirror_id` integer NOT NULL,
	`version` text NOT NULL,
	`h1` text NOT NULL,
	`check_id` integer NOT NULL,
	PRIMARY KEY(`module_id`, `mirror_id`, `version`),
	FOREIGN KEY (`module_id`) REFERENCES `modules`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`mirror_id`) REFERENCES `mirrors`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `gomod_states` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`module_id` integer NOT NULL,
	`mirror_id` integer NOT NULL,
	`from_check_id` integer NOT NULL,
	`until_check_id` integer,
	`authoritative_version` text,
	`deprecated` text,
	`retractions` text NOT NULL,
	FOREIGN KEY (`module_id`) REFERENCES `modules`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`mirror_id`) REFERENCES `mirrors`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `gomod_states_module_from` ON `gomod_states` (`module_id`,`from_check_id`);--> statement-breakpoint
CREATE TABLE `gomod_texts` (
	`h1` text PRIMARY KEY NOT NULL,
	`text` text NOT NULL
);
--> statement-breakpoint
CREATE TABLE `listings` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`module_id` integer NOT NULL,
	`mirror_id` integer NOT NULL,
	`version` text NOT NULL,
	`from_check_id` integer NOT NULL,
	`until_check_id` integer,
	`last_missing_check_id` integer,
	FOREIGN KEY (`module_id`) REFERENCES `modules`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`mirror_id`) REFERENCES `mirrors`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `listings_module_from` ON `listings` (`module_id`,`from_check_id`);--> statement-breakpoint
CREATE INDEX `listings_open` ON `listings` (`module_id`,`mirror_id`,`until_check_id`);--> statement-breakpoint
CREATE TABLE `mirror_states` (
	`module_id` integer NOT NULL,
	`mirror_id` integer NOT NULL,
	`list_hash` text,
	`last_answered_check_id` integer,
	PRIMARY KEY(`module_id`, `mirror_id`),
	FOREIGN KEY (`module_id`) REFERENCES `modules`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`mirror_id`) REFERENCES `mirrors`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `mirrors` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`name` text NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `mirrors_name_unique` ON `mirrors` (`name`);--> statement-breakpoint
CREATE TABLE `outcome_aggregates` (
	`module_id` integer NOT NULL,
	`mirror_id` integer NOT NULL,
	`period` text NOT NULL,
	`period_start` integer NOT NULL,
	`outcome` text NOT NULL,
	`count` integer NOT NULL,
	`latency_sum_ms` integer NOT NULL,
	`latency_max_ms` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `outcome_aggregates_key` ON `outcome_aggregates` (`module_id`,`mirror_id`,`period`,`period_start`,`outcome`);--> statement-breakpoint
CREATE TABLE `versions` (
	`module_id` integer NOT NULL,
	`version` text NOT NULL,
	`time` integer,
	`info_mirror_id` integer,
	PRIMARY KEY(`module_id`, `version`),
	FOREIGN KEY (`module_id`) REFERENCES `modules`(`id`) ON UPDATE no action ON DELETE no action
);
