"""German dates as "3. März 2027" everywhere: the short formats are the long ones, so a table
and a sentence never show one day in two ways. Everything else is Django's German."""

DATE_FORMAT = "j. F Y"
SHORT_DATE_FORMAT = DATE_FORMAT
DATETIME_FORMAT = "j. F Y, H:i"
SHORT_DATETIME_FORMAT = DATETIME_FORMAT
