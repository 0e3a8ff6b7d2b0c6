CREATE TABLE `resolution_items` (
	`resolution_id` integer NOT NULL,
	`position` integer NOT NULL,
	`module` text NOT NULL,
	`version` text NOT NULL,
	`indirect` integer NOT NULL,
	`replaced_by` text,
	`excluded` integer NOT NULL,
	`probe_id` integer,
	PRIMARY KEY(`resolution_id`, `position`),
	FOREIGN KEY (`resolution_id`) REFERENCES `resolutions`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`probe_id`) REFERENCES `probes`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `resolutions` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`created_at` integer NOT NULL,
	`finished_at` integer,
	`input_hash` text NOT NULL,
	`gomod` text NOT NULL,
	`gosum` text,
	`zips` integer NOT NULL,
	`status` text NOT NULL,
	`total` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `resolutions_input` ON `resolutions` (`input_hash`);--> statement-breakpoint
CREATE INDEX `resolutions_status` ON `resolutions` (`status`);