CREATE TABLE `probes` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`module_id` integer NOT NULL,
	`version` text NOT NULL,
	`requested` text NOT NULL,
	`at` integer NOT NULL,
	`fetch` integer NOT NULL,
	`check_id` integer,
	`evidence` text NOT NULL,
	FOREIGN KEY (`module_id`) REFERENCES `modules`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`check_id`) REFERENCES `checks`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `probes_module_version` ON `probes` (`module_id`,`version`);