# Dates and times shown one way in the app and the admin (issue 17), overriding Django's "en"
# locale (which puts "N j, Y, P" ahead of the DATETIME_FORMAT setting). A timestamp carries its
# zone so nobody has to guess it: "Nov 24, 2026, 4:08 p.m. CST". Dates keep the US "11/24/2026"
# the staff type and the seed's documents use.
DATE_FORMAT = "m/d/Y"
SHORT_DATE_FORMAT = "m/d/Y"
DATETIME_FORMAT = "M j, Y, P T"
SHORT_DATETIME_FORMAT = "M j, Y, P T"
TIME_FORMAT = "P T"
