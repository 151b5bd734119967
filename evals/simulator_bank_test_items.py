"""Phrase bank, test part: elicitation items written apart from the development part.

Same format as `simulator_bank_items.py`; no item, topic, wording or option repeats one
of the development part.
"""

TEST_ITEM_BANK = """
@ t-seat | seat_choice
? On a long flight, which seat do you book?
? If the airline lets you pick, where do you sit?
* By the window
* On the aisle

@ t-meetings | meeting_time
? When do meetings suit you best?
? If I'm booking a call with you, which slot should I aim for?
* Early in the morning
* Around midday
* Late in the afternoon

@ t-gifts | gift_style
? What kind of present makes you happiest?
? If a friend wanted to surprise you, what should they give you?
* Something practical
* An experience, like concert tickets
* Something handmade

@ t-forecast | forecast_detail
? How much of the weather forecast do you want each morning?
? Which forecast would you rather see when you wake up?
* Just the high, the low and the chance of rain
* An hour-by-hour breakdown

@ t-commute | commute_mode
? How would you choose to get to work?
? If every option took the same time, how would you travel to the office?
* By bus or tram
* On foot
* By car

@ t-films | film_genre
? What would you put on for a film night?
? Pick the film you'd most enjoy on a quiet evening in.
* A comedy
* A documentary
* A thriller

@ t-signoff | email_signoff
? How should I sign off the emails I draft for you?
? Which closing line sounds most like you?
* Best,
* Cheers,
* Kind regards,

@ t-budget | budget_view
? How should I show you your monthly spending?
? Which view of your budget would you rather look at?
* A chart
* A table of numbers

@ t-breakfast | breakfast_taste
? What kind of breakfast do you reach for?
? Which breakfast sounds better to you?
* Something sweet, like pancakes
* Something savoury, like eggs on toast

@ t-thinking | thinking_time
? When do you get your best thinking done?
? If you had a hard problem to crack, when would you sit down to it?
* First thing in the morning
* Late at night

@ t-holiday-length | trip_length
? Would you rather take one long holiday or several short ones?
? How do you like to split your time off?
* One long trip
* A few long weekends
"""
