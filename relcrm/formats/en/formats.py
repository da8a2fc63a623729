"""English dates the European way ("3 March 2027"): relcrm's users work in Germany and read
day before month in both languages. One date format through the whole UI: the short formats
are the long ones, so a table and a sentence never show one day in two ways."""

DATE_FORMAT = "j F Y"
SHORT_DATE_FORMAT = DATE_FORMAT
DATETIME_FORMAT = "j F Y, H:i"
SHORT_DATETIME_FORMAT = DATETIME_FORMAT
FIRST_DAY_OF_WEEK = 1
DECIMAL_SEPARATOR = "."
THOUSAND_SEPARATOR = ","
