#!/usr/bin/env python3
"""Hand-written held-out cases of sentence breaks lost in scraping, and of clean text that must stay (Python 3
standard library). The sentences are this file's own wordings, written for it; no rule, dictionary or unit test
was tuned on them.

Usage:
    python3 bench/heldout/sentence_cases.py [--bin build/copydesk] [--show] [--set tune|held|held2]

Each case is one document (one or a few lines). The script cleans all of them with `BIN clean -q --out-dir`
(the whole pipeline) in one run and, per class, counts:
    right      the output equals the expected text (white space runs collapsed)
    unchanged  a glued case left as it came in (a miss, perhaps flagged; no harm)
    wrong      anything else: a wrong repair, or a clean case changed (harm)
--show prints every case that is not right, with the output.

Glued classes (the expected text has the break back):
    bang         "!!" / "?!" glued to the next sentence
    close_quote  a quoted sentence's closing quote glued to the next sentence
    amount       a sentence ending in a figure, an amount or a percentage
    address_end  a sentence ending in a domain, e-mail address or URL
    abbrev_end   a sentence ending in an abbreviation (p.m., Inc., U.S.)
    ellipsis     an ellipsis and the sentence's own stop ("....")
    list_items   list items on one line, the space before a marker lost
    short_doc    a document of two or three short sentences, glued
    open_quote   an opening curly quote glued to the word before it
    camel        a sentence's stop and space lost before an ordinary capitalised word
  and in --set held2 also:
    short_name   a stop after a short name ("Hi Tom.Lunch is")
    code_figure  a stop after a short capital code on a figure ("in Q2.Sales")
    domain_word  a stop glued to a word that is also a domain ending ("fail.My", "approved.it")
    camel_name   a camel glue onto a name ("the regionFrance")
Clean classes (must come out unchanged):
    abbrev_mid   "co.", "st.", "ave.", "corp." and the like inside a sentence before a lower-case word
    list_lines   list items one a line, without stops
    headline     headlines, sourced headlines, datelines and bylines above a paragraph
    quoted_title a quoted title with its own stop inside a sentence, a capitalised word after it
    bang_query   "!?" and "?!" written with their space
  and in --set held2 also: dateline, byline, timetable, caption lines, and ticker (a stop inside angle
  brackets: "<ABCD.L>")
"""
import argparse, os, subprocess, sys, tempfile
from collections import defaultdict

GLUED = [
    ("bang", "The ferry finally docked after six hours at sea!!Passengers cheered as they walked down the ramp.",
     "The ferry finally docked after six hours at sea!! Passengers cheered as they walked down the ramp."),
    ("bang", "Who would pay that much for a parking space?!Residents of the old quarter say they have no choice.",
     "Who would pay that much for a parking space?! Residents of the old quarter say they have no choice."),
    ("bang", "The orchard lost half its trees in one night!!Growers now fear for the rest of the harvest.",
     "The orchard lost half its trees in one night!! Growers now fear for the rest of the harvest."),
    ("bang", "Can a town of four thousand people really host the games?!Organisers insist that it can.",
     "Can a town of four thousand people really host the games?! Organisers insist that it can."),
    ("bang", "The bakery sold out before seven in the morning!!Its owner plans to open a second shop next spring.",
     "The bakery sold out before seven in the morning!! Its owner plans to open a second shop next spring."),
    ("close_quote", "\"We will rebuild the bridge before winter.\"Engineers at the site were less certain.",
     "\"We will rebuild the bridge before winter.\" Engineers at the site were less certain."),
    ("close_quote", "The coach told reporters, \u201cThe team played its best game of the season.\u201dFans stayed long after the whistle.",
     "The coach told reporters, \u201cThe team played its best game of the season.\u201d Fans stayed long after the whistle."),
    ("close_quote", "\"Nobody warned us about the flood,\" said one farmer.\"Our fields were under water by noon.\"The council has promised an inquiry.",
     "\"Nobody warned us about the flood,\" said one farmer. \"Our fields were under water by noon.\" The council has promised an inquiry."),
    ("close_quote", "\u201cThe museum will stay open on Sundays.\u201dVisitors welcomed the decision on Tuesday.",
     "\u201cThe museum will stay open on Sundays.\u201d Visitors welcomed the decision on Tuesday."),
    ("close_quote", "She wrote in her letter that \u201cthe library saved my childhood.\u201dHer words were read aloud at the opening.",
     "She wrote in her letter that \u201cthe library saved my childhood.\u201d Her words were read aloud at the opening."),
    ("amount", "The new stadium cost the city $412.75 million.Critics say the money should have gone to schools.",
     "The new stadium cost the city $412.75 million. Critics say the money should have gone to schools."),
    ("amount", "Ticket prices rose to $18.50.Many regular visitors said they would come less often.",
     "Ticket prices rose to $18.50. Many regular visitors said they would come less often."),
    ("amount", "Unemployment in the province fell to 6.2 percent.Economists had expected a smaller drop.",
     "Unemployment in the province fell to 6.2 percent. Economists had expected a smaller drop."),
    ("amount", "The lighthouse was first lit in 1874.Its lamp was replaced by an electric one a century later.",
     "The lighthouse was first lit in 1874. Its lamp was replaced by an electric one a century later."),
    ("amount", "The charity raised 3,400 euros.Volunteers will spend it on winter coats for the shelter.",
     "The charity raised 3,400 euros. Volunteers will spend it on winter coats for the shelter."),
    ("amount", "Average rents in the district reached 1,250.Tenants' groups called the rise alarming.",
     "Average rents in the district reached 1,250. Tenants' groups called the rise alarming."),
    ("address_end", "The full timetable is posted at rivertrains.net.Passengers can also call the help line.",
     "The full timetable is posted at rivertrains.net. Passengers can also call the help line."),
    ("address_end", "Applications must be sent to grants@harbourfund.org.Late entries will not be considered.",
     "Applications must be sent to grants@harbourfund.org. Late entries will not be considered."),
    ("address_end", "Readers can watch the debate live at www.countyvoice.com.Questions may be sent in advance.",
     "Readers can watch the debate live at www.countyvoice.com. Questions may be sent in advance."),
    ("address_end", "The survey results are published at https://data.lakeshire.gov.Officials will update them each month.",
     "The survey results are published at https://data.lakeshire.gov. Officials will update them each month."),
    ("address_end", "For more details write to the club at members@northrowers.co.uk.Training starts in April.",
     "For more details write to the club at members@northrowers.co.uk. Training starts in April."),
    ("address_end", "The recipe first appeared on quietkitchen.com.I tried it at home the same evening.",
     "The recipe first appeared on quietkitchen.com. I tried it at home the same evening."),
    ("abbrev_end", "The polls close at 8 p.m.Results are expected shortly after midnight.",
     "The polls close at 8 p.m. Results are expected shortly after midnight."),
    ("abbrev_end", "The contract went to Fenwick Tools Inc.Shares of the firm rose four percent.",
     "The contract went to Fenwick Tools Inc. Shares of the firm rose four percent."),
    ("abbrev_end", "The delegation left for the U.S.Talks are due to begin on Monday.",
     "The delegation left for the U.S. Talks are due to begin on Monday."),
    ("abbrev_end", "The market opens each day at 6 a.m.Stallholders arrive an hour before that.",
     "The market opens each day at 6 a.m. Stallholders arrive an hour before that."),
    ("abbrev_end", "The plant is owned by Brightwater Ltd.Its workers voted to strike last week.",
     "The plant is owned by Brightwater Ltd. Its workers voted to strike last week."),
    ("ellipsis", "He waited by the phone all evening....Nobody called.",
     "He waited by the phone all evening.... Nobody called."),
    ("ellipsis", "The river kept rising through the night....Families on the lower streets packed their cars.",
     "The river kept rising through the night.... Families on the lower streets packed their cars."),
    ("ellipsis", "The old mill has stood empty for years....Developers now want to turn it into flats.",
     "The old mill has stood empty for years.... Developers now want to turn it into flats."),
    ("ellipsis", "We searched every room of the house....Then we found the key in the car.",
     "We searched every room of the house.... Then we found the key in the car."),
    ("list_items", "1) Unplug the heater2) Let it cool for an hour3) Wipe the grille with a dry cloth",
     "1) Unplug the heater 2) Let it cool for an hour 3) Wipe the grille with a dry cloth"),
    ("list_items", "1. Rinse the rice.2. Soak it for twenty minutes.3. Boil it in fresh water.",
     "1. Rinse the rice. 2. Soak it for twenty minutes. 3. Boil it in fresh water."),
    ("list_items", "a) Book the hall.b) Order the chairs.c) Send the invitations.",
     "a) Book the hall. b) Order the chairs. c) Send the invitations."),
    ("list_items", "1.) Measure the window2.) Cut the fabric3.) Sew the hem",
     "1.) Measure the window 2.) Cut the fabric 3.) Sew the hem"),
    ("list_items", "A. Register online.B. Collect your badge.C. Find your seat.",
     "A. Register online. B. Collect your badge. C. Find your seat."),
    ("short_doc", "Good evening.My name is Tomas.", "Good evening. My name is Tomas."),
    ("short_doc", "Thanks for your letter.We will reply soon.", "Thanks for your letter. We will reply soon."),
    ("short_doc", "The shop is closed today.Please come back tomorrow.", "The shop is closed today. Please come back tomorrow."),
    ("short_doc", "Welcome aboard.Your cabin is on deck four.", "Welcome aboard. Your cabin is on deck four."),
    ("short_doc", "It rained all day.The match was cancelled.", "It rained all day. The match was cancelled."),
    ("open_quote", "The crowd gave the singer a\u201cstanding ovation\u201d after the last song.",
     "The crowd gave the singer a \u201cstanding ovation\u201d after the last song."),
    ("open_quote", "Officials described the talks as\u201cfrank and useful\u201d on Friday.",
     "Officials described the talks as \u201cfrank and useful\u201d on Friday."),
    ("open_quote", "The navy launched the patrol ship\u201cSea Falcon\u201d at the northern yard.",
     "The navy launched the patrol ship \u201cSea Falcon\u201d at the northern yard."),
    ("open_quote", "Her new novel is a story of\u201cexile and return\u201d set in the mountains.",
     "Her new novel is a story of \u201cexile and return\u201d set in the mountains."),
    ("open_quote", "The minister said\u201cthe budget will balance\u201d by the end of the year.",
     "The minister said \u201cthe budget will balance\u201d by the end of the year."),
    ("camel", "The wells in the valley ran dry last summerFarmers had to buy water from the city.",
     "The wells in the valley ran dry last summer. Farmers had to buy water from the city."),
    ("camel", "The school will reopen after the repairs are finishedTeachers have been told to expect a delay.",
     "The school will reopen after the repairs are finished. Teachers have been told to expect a delay."),
    ("camel", "The council approved the plan on a narrow voteOpponents have vowed to take it to court.",
     "The council approved the plan on a narrow vote. Opponents have vowed to take it to court."),
    ("camel", "Traffic on the coast road was heavy all weekendPolice advised drivers to leave early.",
     "Traffic on the coast road was heavy all weekend. Police advised drivers to leave early."),
    ("bang", "Seriously, another delay!?Is anyone in charge of this project?",
     "Seriously, another delay!? Is anyone in charge of this project?"),
    ("bang", "They won the cup at last!!I never thought I would see the day.",
     "They won the cup at last!! I never thought I would see the day."),
    ("close_quote", "\u2018We are ready for the storm,\u2019 the mayor said. \u2018Nobody should panic.\u2019Shops stayed open all day.",
     "\u2018We are ready for the storm,\u2019 the mayor said. \u2018Nobody should panic.\u2019 Shops stayed open all day."),
    ("amount", "Prices of olive oil have climbed by 40%.Retailers blame the drought in the south.",
     "Prices of olive oil have climbed by 40%. Retailers blame the drought in the south."),
    ("amount", "The sale raised \u00a32.5m.Half of it will go to the hospice.",
     "The sale raised \u00a32.5m. Half of it will go to the hospice."),
    ("abbrev_end", "The shop sells pens, paper, ink etc.Prices are lower than in the city.",
     "The shop sells pens, paper, ink etc. Prices are lower than in the city."),
    ("abbrev_end", "The meeting ended at 5 P.M.Ms. Reyes left first.",
     "The meeting ended at 5 P.M. Ms. Reyes left first."),
    ("abbrev_end", "The boats are built by Carrow & Sons Co.The yard employs forty people.",
     "The boats are built by Carrow & Sons Co. The yard employs forty people."),
    ("list_items", "a. Feed the catb. Water the plantsc. Lock the back door",
     "a. Feed the cat b. Water the plants c. Lock the back door"),
    ("list_items", "Steps: 1) open the valve2) wait for the hiss3) close it again",
     "Steps: 1) open the valve 2) wait for the hiss 3) close it again"),
    ("short_doc", "Hi Anna.Thanks for the photos from the trip.", "Hi Anna. Thanks for the photos from the trip."),
    ("short_doc", "Dear neighbours.Our dog is missing.Please call us.", "Dear neighbours. Our dog is missing. Please call us."),
    ("short_doc", "Hello there.This is my first post.", "Hello there. This is my first post."),
    ("open_quote", "The coast guard towed the tanker\u201cNorthern Star\u201d into port.",
     "The coast guard towed the tanker \u201cNorthern Star\u201d into port."),
    ("open_quote", "Locals call the new tower the\u201cneedle\u201d because of its shape.",
     "Locals call the new tower the \u201cneedle\u201d because of its shape."),
    ("bang", "The firework display was the best in years!!Maria Lopez, who organised it, was delighted.",
     "The firework display was the best in years!! Maria Lopez, who organised it, was delighted."),
    ("bang", "They really expect us to walk twelve miles?!I will take the bus.",
     "They really expect us to walk twelve miles?! I will take the bus."),
    ("close_quote", "The sign on the gate read 'No entry after dark.'Walkers ignored it.",
     "The sign on the gate read 'No entry after dark.' Walkers ignored it."),
    ("close_quote", "\u201cIt is far too early to say,\u201d she said. \u201cWe need more tests.\u201dHer team will report in May.",
     "\u201cIt is far too early to say,\u201d she said. \u201cWe need more tests.\u201d Her team will report in May."),
    ("amount", "Sales at the chain rose sharply in Q3.Profits, however, fell.",
     "Sales at the chain rose sharply in Q3. Profits, however, fell."),
    ("amount", "Leaders will meet again at the next G7.Their agenda is not yet set.",
     "Leaders will meet again at the next G7. Their agenda is not yet set."),
    ("amount", "The pension fund grew by 7.5pct.Analysts had expected less.",
     "The pension fund grew by 7.5pct. Analysts had expected less."),
    ("abbrev_end", "The treaty was signed at the U.N.It takes effect next year.",
     "The treaty was signed at the U.N. It takes effect next year."),
    ("abbrev_end", "The firm was founded by Arthur Penn Jr.His son runs it now.",
     "The firm was founded by Arthur Penn Jr. His son runs it now."),
    ("address_end", "The forms can be downloaded from cityhall.org.It takes five minutes to fill them in.",
     "The forms can be downloaded from cityhall.org. It takes five minutes to fill them in."),
    ("address_end", "Send your photos to pics@valleynews.com.Thanks to everyone who wrote last week.",
     "Send your photos to pics@valleynews.com. Thanks to everyone who wrote last week."),
    ("ellipsis", "The phone rang twice and stopped....Maria Lopez did not move from her chair.",
     "The phone rang twice and stopped.... Maria Lopez did not move from her chair."),
    ("short_doc", "Hello everyone.I am new to this forum.", "Hello everyone. I am new to this forum."),
    ("short_doc", "Thank you.See you all tomorrow.", "Thank you. See you all tomorrow."),
    ("short_doc", "Great news.The baby arrived safely.", "Great news. The baby arrived safely."),
    ("open_quote", "Delegates discussed the so-called\u201cgreen corridor\u201d for grain ships.",
     "Delegates discussed the so-called \u201cgreen corridor\u201d for grain ships."),
    ("open_quote", "The poet wrote of\u2018home and harbour\u2019 in her last book.",
     "The poet wrote of \u2018home and harbour\u2019 in her last book."),
    ("open_quote", "Fans of the club chanted\u201cOne more year\u201d until the end.",
     "Fans of the club chanted \u201cOne more year\u201d until the end."),
    ("camel", "The storm brought down power lines across the islandEngineers worked through the night to restore supply.",
     "The storm brought down power lines across the island. Engineers worked through the night to restore supply."),
    ("camel", "The price of bread has doubled since the harvest failedMany families now bake at home.",
     "The price of bread has doubled since the harvest failed. Many families now bake at home."),
]

CLEAN = [
    ("abbrev_mid", "The Harlow Shipping co. on the east pier has hired twelve new hands."),
    ("abbrev_mid", "We met outside the bakery on 9th st. near the old cinema and walked to the park."),
    ("abbrev_mid", "The contract with the Dunmore Trading co. in Leeds runs until next year."),
    ("abbrev_mid", "Turn left on Maple ave. after the second set of lights and park behind the church."),
    ("abbrev_mid", "The parcel was addressed to the Acme Paint corp. warehouse on the ring road."),
    ("abbrev_mid", "Shops on Grant st. and Mill ln. will close early for the parade on Saturday."),
    ("list_lines", "What you will need:\n- two cups of flour\n- one egg\n- a pinch of salt and a little butter for the pan"),
    ("list_lines", "Things to check before a long drive\n1. the tyre pressure and the spare wheel in the boot\n2. the oil level\n3. the lights, the horn and the wipers on both sides"),
    ("list_lines", "Agenda\n* welcome from the chair and apologies for absence from members\n* minutes of the last meeting\n* any other business"),
    ("headline", "River towns brace for record flood as rain keeps falling - Northern Gazette\nHALDEN, May 4 (NG) - Emergency crews worked through the night to shore up the banks of the river, officials said on Sunday."),
    ("headline", "City council votes to keep the old tram line running for another ten years\nBy Marta Olsen\nThe vote followed a long public meeting at which residents spoke in favour of the line."),
    ("headline", "Farm exports to neighbouring countries rise sharply in the first quarter - Kyodo\nSome growers say the rise will not last once the new tariffs take effect later this year."),
    ("headline", "Fishermen protest new quotas in the harbour town of Kelby\nKELBY, June 12 -- Several hundred fishermen blocked the harbour on Thursday in protest at the new quotas."),
    ("quoted_title", "The band played \u201cCome home soon.\u201d Many in the audience sang along with them."),
    ("quoted_title", "Her short story \u201cThe last train.\u201d Critics praised it when it came out in the spring."),
    ("quoted_title", "The choir closed with the hymn \"Rest now, traveller.\" Several guests were moved to tears."),
    ("bang_query", "You want to move to the islands!? Are you sure about the winters there?"),
    ("bang_query", "He sold the car for a dollar?! Nobody at the garage could believe it."),
    ("bang_query", "They cancelled the concert again!? We had bought the tickets months ago."),
    ("headline", "Heavy snow closes mountain passes and cuts power to thousands of homes across the northern region on Tuesday night\nRoads were blocked by drifts up to two metres deep, the transport ministry said."),
    ("headline", "PARIS, Feb. 9 (Kyodo) -- Museum attendance in the French capital recovered last year, the city said on Monday.\nVisitor numbers rose by a fifth compared with the previous year."),
    ("list_lines", "Our demands\n- fair pay for every worker on the night shift, including the cleaners and drivers\n- safe ladders and proper lighting in the storage halls at the back of the depot"),
    ("abbrev_mid", "The Tindall Bros. co. in the old market sells rope, canvas and paint."),
    ("quoted_title", "He read the poem \"Night falls.\" Anna listened without a word."),
    ("abbrev_mid", "The drinks were paid for by Benson & co. after the match last night."),
    ("abbrev_mid", "The bus stops on Queen st. outside the library and on Bell rd. by the school."),
    ("quoted_title", "She sang \"Hold on tight.\" Will Harper joined her for the chorus."),
    ("quoted_title", "The paper ran the headline \u201cSpring is here.\u201d Snow fell the next day."),
    ("headline", "By Tom Reyes\nLONDON (Reuters) - Shares in the grocer fell sharply on Friday after it warned on profits, traders said."),
    ("headline", "Why are bus fares rising again in the city this winter?\nThe transport authority says fuel costs are to blame."),
    ("list_lines", "Opening hours\nMonday to Friday 9 am to 6 pm\nSaturday 10 am to 4 pm, and later in the run-up to the holidays\nSunday closed"),
]

# A second set, written after the rules were changed for the cases above and run once to measure them:
# `--set held`.
HELD_GLUED = [
    ("bang", "The last bus left without us!!We walked home in the rain.",
     "The last bus left without us!! We walked home in the rain."),
    ("bang", "Is this really the best the league can offer?!Supporters deserve better.",
     "Is this really the best the league can offer?! Supporters deserve better."),
    ("bang", "The kitten climbed all the way up the mast!!Sailors spent an hour getting it down.",
     "The kitten climbed all the way up the mast!! Sailors spent an hour getting it down."),
    ("close_quote", "\"The roads will be cleared by morning.\"Few drivers believed the promise.",
     "\"The roads will be cleared by morning.\" Few drivers believed the promise."),
    ("close_quote", "The captain said only, \u201cWe sail at dawn.\u201dThe crew began loading at once.",
     "The captain said only, \u201cWe sail at dawn.\u201d The crew began loading at once."),
    ("close_quote", "\u201cNo one was hurt,\u201d a spokesman said. \u201cThe building was empty.\u201dFirefighters stayed until dawn.",
     "\u201cNo one was hurt,\u201d a spokesman said. \u201cThe building was empty.\u201d Firefighters stayed until dawn."),
    ("amount", "The city's budget deficit reached $2.3 billion.Lawmakers met late into the night.",
     "The city's budget deficit reached $2.3 billion. Lawmakers met late into the night."),
    ("amount", "Wheat futures rose 4%.Traders pointed to dry weather on the plains.",
     "Wheat futures rose 4%. Traders pointed to dry weather on the plains."),
    ("amount", "The club was founded in 1921.Its first ground was a cow field.",
     "The club was founded in 1921. Its first ground was a cow field."),
    ("amount", "A single ticket now costs \u20ac3.40.Commuters have started cycling instead.",
     "A single ticket now costs \u20ac3.40. Commuters have started cycling instead."),
    ("address_end", "Volunteers can sign up at helpinghands.org.Shifts start next Monday.",
     "Volunteers can sign up at helpinghands.org. Shifts start next Monday."),
    ("address_end", "Tips may be sent to newsdesk@eastpost.com.All messages are treated in confidence.",
     "Tips may be sent to newsdesk@eastpost.com. All messages are treated in confidence."),
    ("address_end", "The full report is online at www.seawatch.net.It runs to ninety pages.",
     "The full report is online at www.seawatch.net. It runs to ninety pages."),
    ("abbrev_end", "The flight lands at 7 a.m.Passengers should allow time for customs.",
     "The flight lands at 7 a.m. Passengers should allow time for customs."),
    ("abbrev_end", "The mill was sold to Hartley Textiles Ltd.Workers were told on Friday.",
     "The mill was sold to Hartley Textiles Ltd. Workers were told on Friday."),
    ("abbrev_end", "Most of the grain is shipped to the U.K.Farmers say prices are too low.",
     "Most of the grain is shipped to the U.K. Farmers say prices are too low."),
    ("ellipsis", "The engine coughed, spluttered and died....Nobody on board spoke.",
     "The engine coughed, spluttered and died.... Nobody on board spoke."),
    ("ellipsis", "The crowd waited in silence for the verdict....Then the judge began to read.",
     "The crowd waited in silence for the verdict.... Then the judge began to read."),
    ("list_items", "1) Switch off the mains2) Remove the cover3) Replace the fuse",
     "1) Switch off the mains 2) Remove the cover 3) Replace the fuse"),
    ("list_items", "a) Fill in the formb) Sign itc) Post it back",
     "a) Fill in the form b) Sign it c) Post it back"),
    ("list_items", "1. Peel the apples.2. Slice them thinly.3. Bake for forty minutes.",
     "1. Peel the apples. 2. Slice them thinly. 3. Bake for forty minutes."),
    ("short_doc", "Good news.We found your wallet.", "Good news. We found your wallet."),
    ("short_doc", "Hi Sam.Dinner is at eight.", "Hi Sam. Dinner is at eight."),
    ("short_doc", "Sorry for the delay.Here are the files.", "Sorry for the delay. Here are the files."),
    ("open_quote", "The committee called the plan a\u201cdisaster in waiting\u201d on Monday.",
     "The committee called the plan a \u201cdisaster in waiting\u201d on Monday."),
    ("open_quote", "The new ferry was named\u201cQueen of the Isles\u201d by the mayor.",
     "The new ferry was named \u201cQueen of the Isles\u201d by the mayor."),
    ("open_quote", "Critics dismissed the film as\u2018slow and dull\u2019 when it opened.",
     "Critics dismissed the film as \u2018slow and dull\u2019 when it opened."),
    ("camel", "The factory closed its doors for good in the springMost of its workers have since moved away.",
     "The factory closed its doors for good in the spring. Most of its workers have since moved away."),
    ("camel", "Heavy rain flooded the main square on Sunday nightShopkeepers spent Monday clearing mud.",
     "Heavy rain flooded the main square on Sunday night. Shopkeepers spent Monday clearing mud."),
    ("camel", "The hospital says it needs forty more nursesIts waiting lists are the longest in the region.",
     "The hospital says it needs forty more nurses. Its waiting lists are the longest in the region."),
]

HELD_CLEAN = [
    ("abbrev_mid", "We bought the boat from the Fairlie Marine co. near the harbour wall."),
    ("abbrev_mid", "The parade turns onto Church st. at noon and ends by the town hall."),
    ("abbrev_mid", "Deliveries for the Morrow Tile corp. go to the side gate on Ash ave. after six."),
    ("list_lines", "Bring with you:\n- a packed lunch\n- waterproof boots and a spare pair of socks\n- a torch"),
    ("list_lines", "Results\n1. Harriers 24 points\n2. Rovers 19 points\n3. Albion 17 points after a late goal in the final match"),
    ("headline", "Volunteers clean up beach after winter storms - Coast Weekly\nMore than two hundred people turned out on Saturday to clear litter from the shore."),
    ("headline", "TORONTO, April 2 (CP) - The city will add forty buses to its fleet this year, officials said on Tuesday."),
    ("headline", "Rail strike to go ahead on Monday after talks collapse\nUnion leaders said the offer on pay was too low and walked out of the meeting."),
    ("quoted_title", "The children performed \u201cThe owl and the moon.\u201d Parents filled the hall."),
    ("quoted_title", "He called his memoir \"A long way home.\" Reviewers were kind."),
    ("bang_query", "You drove all night!? You must be exhausted."),
    ("bang_query", "Another rate rise?! Borrowers will not be pleased."),
]

# A third set, `--set held2`: wordings of their own for every class, written before the rules were changed for
# the classes still failing (a stop after a short code or figure, after a short name, a camel glue onto a name,
# a stop glued to a word that is also a domain ending, tickers in angle brackets, timetables and captions) and
# run on the build before those changes first.
HELD2_GLUED = [
    ("bang", "The river burst its banks twice this month!!Residents are asking who is to blame.",
     "The river burst its banks twice this month!! Residents are asking who is to blame."),
    ("bang", "Who approved a car park on the village green?!Nobody at the council will say.",
     "Who approved a car park on the village green?! Nobody at the council will say."),
    ("bang", "Anybody!?Is this old thread still open?", "Anybody!? Is this old thread still open?"),
    ("bang", "The goalkeeper scored from inside his own half!!Even the referee laughed.",
     "The goalkeeper scored from inside his own half!! Even the referee laughed."),
    ("close_quote", "\u201cThe harvest was the worst in twenty years.\u201dPrices at the market rose within days.",
     "\u201cThe harvest was the worst in twenty years.\u201d Prices at the market rose within days."),
    ("close_quote", "\"Our doors stay open to everyone.\"Volunteers handed out soup until late.",
     "\"Our doors stay open to everyone.\" Volunteers handed out soup until late."),
    ("close_quote", "The letter ended with the words \u201cwe will not give up.\u201dSupporters read it aloud outside the court.",
     "The letter ended with the words \u201cwe will not give up.\u201d Supporters read it aloud outside the court."),
    ("close_quote", "\u201cPlease drive slowly,\u201d the sign says. \u201cChildren play here.\u201dMost drivers take no notice.",
     "\u201cPlease drive slowly,\u201d the sign says. \u201cChildren play here.\u201d Most drivers take no notice."),
    ("amount", "The bridge repairs will cost $7.8 million.Work starts in the autumn.",
     "The bridge repairs will cost $7.8 million. Work starts in the autumn."),
    ("amount", "Average house prices in the county fell 3.5%.Estate agents expect a slow summer.",
     "Average house prices in the county fell 3.5%. Estate agents expect a slow summer."),
    ("amount", "The parish church was rebuilt in 1862.Its spire can be seen for miles.",
     "The parish church was rebuilt in 1862. Its spire can be seen for miles."),
    ("amount", "Annual fees at the school went up to \u00a31,200.Parents have written to the head teacher.",
     "Annual fees at the school went up to \u00a31,200. Parents have written to the head teacher."),
    ("amount", "The relay team finished in 42.7 seconds.Their coach called it a fine run.",
     "The relay team finished in 42.7 seconds. Their coach called it a fine run."),
    ("address_end", "Full results are listed at countyshow.org.Entries for next year open in March.",
     "Full results are listed at countyshow.org. Entries for next year open in March."),
    ("address_end", "Complaints can be emailed to help@greenbuses.net.Staff aim to reply within two days.",
     "Complaints can be emailed to help@greenbuses.net. Staff aim to reply within two days."),
    ("address_end", "The photographs are on display at www.harbourarchive.org.Some date back to 1890.",
     "The photographs are on display at www.harbourarchive.org. Some date back to 1890."),
    ("address_end", "I first read about the walk on hillpaths.co.uk.It took us six hours.",
     "I first read about the walk on hillpaths.co.uk. It took us six hours."),
    ("abbrev_end", "Doors at the theatre open at 7 p.m.Latecomers will not be admitted.",
     "Doors at the theatre open at 7 p.m. Latecomers will not be admitted."),
    ("abbrev_end", "The bakery chain was bought by Carlow Foods Inc.Its founder will stay on as chair.",
     "The bakery chain was bought by Carlow Foods Inc. Its founder will stay on as chair."),
    ("abbrev_end", "The ambassador flew back to the U.S.Officials declined to comment.",
     "The ambassador flew back to the U.S. Officials declined to comment."),
    ("abbrev_end", "The estate belongs to Granger Holdings Ltd.Its lawyers said the sale was legal.",
     "The estate belongs to Granger Holdings Ltd. Its lawyers said the sale was legal."),
    ("ellipsis", "We knocked on the door again and again....Nobody answered.",
     "We knocked on the door again and again.... Nobody answered."),
    ("ellipsis", "The lights flickered and went out....Then the generator started.",
     "The lights flickered and went out.... Then the generator started."),
    ("ellipsis", "She read the letter twice over....Her hands were shaking.",
     "She read the letter twice over.... Her hands were shaking."),
    ("list_items", "1) Open the lid2) Pour in the seeds3) Close the lid tight",
     "1) Open the lid 2) Pour in the seeds 3) Close the lid tight"),
    ("list_items", "1. Fold the paper.2. Cut along the line.3. Open it out.",
     "1. Fold the paper. 2. Cut along the line. 3. Open it out."),
    ("list_items", "a) Call the office.b) Ask for the manager.c) Explain the problem.",
     "a) Call the office. b) Ask for the manager. c) Explain the problem."),
    ("list_items", "A. Choose a date.B. Book the room.C. Tell the guests.",
     "A. Choose a date. B. Book the room. C. Tell the guests."),
    ("short_doc", "Good morning.My train is late.", "Good morning. My train is late."),
    ("short_doc", "Thanks again.Your help meant a lot.", "Thanks again. Your help meant a lot."),
    ("short_doc", "Happy new year.We miss you all.", "Happy new year. We miss you all."),
    ("short_doc", "The door is locked.Use the side entrance.", "The door is locked. Use the side entrance."),
    ("short_name", "Hi Tom.Lunch is ready in the kitchen.", "Hi Tom. Lunch is ready in the kitchen."),
    ("short_name", "Thanks Mia.Dinner was lovely.", "Thanks Mia. Dinner was lovely."),
    ("short_name", "Dear Eva.Tickets for the concert arrived today.", "Dear Eva. Tickets for the concert arrived today."),
    ("short_name", "Well done Ben.Parents were proud of the whole team.",
     "Well done Ben. Parents were proud of the whole team."),
    ("short_name", "Hello Raj.Breakfast is served until ten.", "Hello Raj. Breakfast is served until ten."),
    ("code_figure", "Profits rose in Q2.Sales of phones were flat.", "Profits rose in Q2. Sales of phones were flat."),
    ("code_figure", "Growth slowed sharply in H1.Exports fell for a third month.",
     "Growth slowed sharply in H1. Exports fell for a third month."),
    ("code_figure", "The airline took delivery of its first A350.Passengers will fly on it from May.",
     "The airline took delivery of its first A350. Passengers will fly on it from May."),
    ("code_figure", "Finance ministers will meet at the G20.Trade is high on the agenda.",
     "Finance ministers will meet at the G20. Trade is high on the agenda."),
    ("code_figure", "Revenue was flat in Q1.Costs rose by a tenth.", "Revenue was flat in Q1. Costs rose by a tenth."),
    ("open_quote", "The mayor called the new park a\u201cgift to the city\u201d at the opening.",
     "The mayor called the new park a \u201cgift to the city\u201d at the opening."),
    ("open_quote", "The tug\u201cRiver Queen\u201d towed the barge upstream.",
     "The tug \u201cRiver Queen\u201d towed the barge upstream."),
    ("open_quote", "Scientists warned of\u201cserious risks\u201d to the coral.",
     "Scientists warned of \u201cserious risks\u201d to the coral."),
    ("open_quote", "The fans sang\u2018we are the champions\u2019 all the way home.",
     "The fans sang \u2018we are the champions\u2019 all the way home."),
    ("domain_word", "Nobody expected the dam to fail.My grandfather had seen it built.",
     "Nobody expected the dam to fail. My grandfather had seen it built."),
    ("domain_word", "He spent a year working abroad.It changed his view of home.",
     "He spent a year working abroad. It changed his view of home."),
    ("domain_word", "The old bridge is closed for repairs.In the meantime, buses will run.",
     "The old bridge is closed for repairs. In the meantime, buses will run."),
    ("domain_word", "The plan was approved last night.it will cost the town millions.",
     "The plan was approved last night. It will cost the town millions."),
    ("camel", "The bakery ran out of bread by noonCustomers queued round the block.",
     "The bakery ran out of bread by noon. Customers queued round the block."),
    ("camel", "Water levels in the reservoir are lowOfficials have asked people to save water.",
     "Water levels in the reservoir are low. Officials have asked people to save water."),
    ("camel", "The team trained hard all winterIts first match is on Saturday.",
     "The team trained hard all winter. Its first match is on Saturday."),
    ("camel", "Snow blocked the mountain pass for a weekSeveral villages ran short of food.",
     "Snow blocked the mountain pass for a week. Several villages ran short of food."),
    ("camel_name", "The talks ended without a deal late on FridayBrussels said it would try again next week.",
     "The talks ended without a deal late on Friday. Brussels said it would try again next week."),
    ("camel_name", "Heavy rain delayed the harvest across the regionFrance expects a smaller wheat crop this year.",
     "Heavy rain delayed the harvest across the region. France expects a smaller wheat crop this year."),
    ("camel_name", "The copper mine has been closed since the floodPeru had been its biggest supplier.",
     "The copper mine has been closed since the flood. Peru had been its biggest supplier."),
    ("camel_name", "Shares fell sharply after the profit warningJohnson said the company would cut jobs.",
     "Shares fell sharply after the profit warning. Johnson said the company would cut jobs."),
    ("camel_name", "The vote on the budget was postponed until next monthCongress is in recess until then.",
     "The vote on the budget was postponed until next month. Congress is in recess until then."),
    ("camel_name", "Fuel prices jumped again this weekMexico raised its export price on Monday.",
     "Fuel prices jumped again this week. Mexico raised its export price on Monday."),
]

HELD2_CLEAN = [
    ("abbrev_mid", "The Kirkby Coal co. on the canal bank has closed its yard."),
    ("abbrev_mid", "Meet me by the fountain on 12th st. before the market opens."),
    ("abbrev_mid", "The Larkin Glass corp. plant in the valley employs three hundred people."),
    ("abbrev_mid", "Cars parked on Elm ave. during the fair will be towed away."),
    ("list_lines", "Packing list\n- passport and tickets\n- a warm jumper for the evenings on deck\n- sun cream"),
    ("list_lines", "Top scorers this season\n1. Okafor 14 goals\n2. Lindqvist 11 goals\n"
     "3. Moreau 9 goals, two of them from the penalty spot in the cup"),
    ("list_lines", "Before you leave the hall\n* switch off the lights in the main room and the kitchen\n"
     "* lock the fire doors\n* hand the key to the caretaker"),
    ("headline", "Harbour town votes to ban cruise ships from its old port - Coastal Times\n"
     "The ban will take effect next year after a narrow vote on Tuesday night."),
    ("headline", "New metro line opens after eight years of delays and a doubling of its budget\n"
     "The first trains ran on time, the operator said."),
    ("headline", "Farmers in the north report early frost damage to fruit crops - Kyodo\n"
     "Apple growers said losses could reach a third of the crop."),
    ("dateline", "LIMA, Aug. 21 (AP) -- Peru's congress approved a new mining law late on Wednesday after a long debate."),
    ("dateline", "OSLO, March 3 (Reuters) - Norway's central bank held interest rates steady on Thursday, as most "
     "economists had expected.\nThe bank said inflation was close to its target."),
    ("byline", "By Ingrid Halvorsen\nNorway's central bank held interest rates steady on Thursday, as most "
     "economists had expected."),
    ("byline", "The mine expects to reopen early next year, a company spokesman said on Friday.\n"
     "Reporting by Lena Dahl; Editing by Mark Reid"),
    ("byline", "Ferry services to the islands were cancelled for a second day because of high winds.\n"
     "Story by Owen Price, transport correspondent"),
    ("timetable", "Ferry times from the island\nMonday to Saturday: 7.15, 9.30, 12.00 and 17.45\n"
     "Sundays and public holidays: 10.00 and 16.30 only, weather permitting"),
    ("timetable", "Opening times of the swimming pool\nWeekdays 6.30 to 21.00\n"
     "Weekends and school holidays from eight in the morning until six in the evening"),
    ("caption", "Photo: Volunteers plant young oak trees along the river bank on Saturday morning\n"
     "More than a hundred people took part in the planting, organisers said."),
    ("caption", "The new lifeboat on its first launch at the harbour, watched by a crowd of several hundred people (Photo: J. Byrne)\n"
     "The boat cost the charity two million pounds."),
    ("ticker", "Carver Steel <CRVS.PA> cuts output as demand falls\n"
     "Carver Steel said on Friday it would cut output at its main plant by a fifth."),
    ("ticker", "Shares in Halden Foods <HLDN.L> fell 4 percent on Tuesday after a profit warning, traders said."),
    ("ticker", "NORTHWIND MINING <NWM.TO> TO CLOSE TWO PITS\nNorthwind Mining said on Monday it would close "
     "two pits in the north of the province."),
    ("ticker", "Talks between Ostrava Bank <OSTB.PR> and its unions broke down, a spokesman said.\n"
     "Ostrava Bank <OSTB.PR> said it would make a new offer next week."),
    ("quoted_title", "The orchestra opened with \u201cMorning on the lake.\u201d Several children in the front row fell asleep."),
    ("quoted_title", "She named her first album \"Letters from home.\" Sales were modest at first."),
    ("quoted_title", "They sang \"Stay with me.\" Grace Lin played the piano."),
    ("bang_query", "You sold the house already!? That was quick."),
    ("bang_query", "A four-hour meeting?! Nobody told me about it."),
]


def norm(t):
    return "\n".join(" ".join(l.split()) for l in t.splitlines() if l.strip())


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--bin", default="build/copydesk")
    ap.add_argument("--show", action="store_true")
    ap.add_argument("--set", choices=["tune", "held", "held2"], default="tune",
                    help="tune: the cases the rules were changed for; held: the second set, written after; "
                    "held2: the third set, written before the last changes")
    args = ap.parse_args()
    glued, clean = {"tune": (GLUED, CLEAN), "held": (HELD_GLUED, HELD_CLEAN),
                    "held2": (HELD2_GLUED, HELD2_CLEAN)}[args.set]
    cases = [(c, a, b) for c, a, b in glued] + [(c, a, a) for c, a in clean]
    indir, outdir = tempfile.mkdtemp(), tempfile.mkdtemp()
    names = []
    for n, (cls, text, _) in enumerate(cases):
        name = f"{cls}-{n:03d}.txt"
        with open(os.path.join(indir, name), "w", encoding="utf-8") as f:
            f.write(text + "\n")
        names.append(name)
    subprocess.run([args.bin, "clean", "-q", "-j", "1", "--out-dir", outdir] +
                   [os.path.join(indir, n) for n in names], check=True)
    per = defaultdict(lambda: [0, 0, 0])
    order = []
    for name, (cls, text, gold) in zip(names, cases):
        out = open(os.path.join(outdir, name), encoding="utf-8").read()
        if cls not in order:
            order.append(cls)
        if norm(out) == norm(gold):
            per[cls][0] += 1
            continue
        per[cls][1 if norm(out) == norm(text) else 2] += 1
        if args.show:
            print(f"--- {name}\n  in:  {text!r}\n  out: {out.rstrip()!r}\n  want:{gold!r}")
    print(f"{'class':13s} right unchanged wrong")
    for cls in order:
        r, u, w = per[cls]
        print(f"{cls:13s} {r:3d}/{r + u + w:<3d} {u:5d} {w:7d}")


if __name__ == "__main__":
    main()
