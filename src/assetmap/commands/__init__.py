"""The commands, grouped by job. Each module registers its commands on `assetmap.app.app`
when imported; `assetmap.app.COMMAND_MODULES` says which module holds which command."""
