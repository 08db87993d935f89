-- Where the recordings archive lives when the user moved it out of the data folder (NULL: the
-- default `<data dir>/archive`), and the folder a move is under way to: set before the first file
-- moves and cleared with the switch, so an interrupted move is known and can be run again.
ALTER TABLE agency_settings ADD COLUMN archive_folder TEXT;
ALTER TABLE agency_settings ADD COLUMN archive_moving_to TEXT;
