"""The board pack: the dashboard's figures, in the order and the words a scrutiny board reads, as Word and PDF."""
