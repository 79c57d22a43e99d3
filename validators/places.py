"""Where on the site a swipe or a door event happened, by the words its point's name holds."""

#: a swipe at a point these words name is a canteen's (or bought a meal: a meal or an amount stated)
CANTEEN_WORDS = r"canteen|cafeteria|dining|mess hall|食堂|餐厅|饭堂|nhà ăn|căng tin|ক্যান্টিন"
#: a dormitory door: where workers live, so a swipe or a door event there says nothing of work
DORMITORY_WORDS = r"dormitor|\bdorm|hostel|宿舍|ký túc xá"
