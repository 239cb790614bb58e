"""Static reference tables for datagen: cities, states, brands, categories, colours and names."""
from __future__ import annotations

# GST state codes are the first two digits of every GSTIN (the GST "state code list").
STATE_CODES: dict[str, str] = {
    "Jammu and Kashmir": "01",
    "Himachal Pradesh": "02",
    "Punjab": "03",
    "Chandigarh": "04",
    "Uttarakhand": "05",
    "Haryana": "06",
    "Delhi": "07",
    "Rajasthan": "08",
    "Uttar Pradesh": "09",
    "Bihar": "10",
    "Sikkim": "11",
    "Meghalaya": "17",
    "Assam": "18",
    "West Bengal": "19",
    "Jharkhand": "20",
    "Odisha": "21",
    "Chhattisgarh": "22",
    "Madhya Pradesh": "23",
    "Gujarat": "24",
    "Maharashtra": "27",
    "Karnataka": "29",
    "Goa": "30",
    "Kerala": "32",
    "Tamil Nadu": "33",
    "Puducherry": "34",
    "Telangana": "36",
    "Andhra Pradesh": "37",
}

# (city, state, lowest PIN, highest PIN, weight). Ranges are conservative sub-ranges of each
# city's real delivery PINs, so every generated PIN exists (or nearly) and shares the city's
# 3-digit sorting-district prefix. Weights skew towards metros, as fashion e-commerce orders do.
CITIES: tuple[tuple[str, str, int, int, int], ...] = (
    ("Mumbai", "Maharashtra", 400001, 400104, 10),
    ("Pune", "Maharashtra", 411001, 411062, 6),
    ("Nagpur", "Maharashtra", 440001, 440037, 3),
    ("Nashik", "Maharashtra", 422001, 422013, 2),
    ("New Delhi", "Delhi", 110001, 110096, 10),
    ("Bengaluru", "Karnataka", 560001, 560103, 9),
    ("Mysuru", "Karnataka", 570001, 570030, 2),
    ("Chennai", "Tamil Nadu", 600001, 600119, 7),
    ("Coimbatore", "Tamil Nadu", 641001, 641050, 3),
    ("Tiruppur", "Tamil Nadu", 641601, 641608, 1),
    ("Madurai", "Tamil Nadu", 625001, 625022, 2),
    ("Hyderabad", "Telangana", 500001, 500098, 8),
    ("Kolkata", "West Bengal", 700001, 700150, 7),
    ("Ahmedabad", "Gujarat", 380001, 380061, 5),
    ("Surat", "Gujarat", 395001, 395023, 3),
    ("Vadodara", "Gujarat", 390001, 390025, 2),
    ("Rajkot", "Gujarat", 360001, 360007, 1),
    ("Jaipur", "Rajasthan", 302001, 302039, 4),
    ("Jodhpur", "Rajasthan", 342001, 342015, 1),
    ("Lucknow", "Uttar Pradesh", 226001, 226031, 4),
    ("Kanpur", "Uttar Pradesh", 208001, 208027, 2),
    ("Varanasi", "Uttar Pradesh", 221001, 221011, 1),
    ("Noida", "Uttar Pradesh", 201301, 201310, 3),
    ("Ghaziabad", "Uttar Pradesh", 201001, 201017, 2),
    ("Gurugram", "Haryana", 122001, 122018, 4),
    ("Faridabad", "Haryana", 121001, 121010, 2),
    ("Chandigarh", "Chandigarh", 160001, 160036, 2),
    ("Ludhiana", "Punjab", 141001, 141016, 2),
    ("Amritsar", "Punjab", 143001, 143009, 1),
    ("Dehradun", "Uttarakhand", 248001, 248009, 1),
    ("Shimla", "Himachal Pradesh", 171001, 171013, 1),
    ("Jammu", "Jammu and Kashmir", 180001, 180020, 1),
    ("Patna", "Bihar", 800001, 800030, 2),
    ("Ranchi", "Jharkhand", 834001, 834012, 1),
    ("Bhubaneswar", "Odisha", 751001, 751031, 2),
    ("Raipur", "Chhattisgarh", 492001, 492015, 1),
    ("Bhopal", "Madhya Pradesh", 462001, 462047, 2),
    ("Indore", "Madhya Pradesh", 452001, 452020, 3),
    ("Guwahati", "Assam", 781001, 781040, 2),
    ("Kochi", "Kerala", 682001, 682042, 2),
    ("Thiruvananthapuram", "Kerala", 695001, 695043, 1),
    ("Panaji", "Goa", 403001, 403006, 1),
    ("Visakhapatnam", "Andhra Pradesh", 530001, 530053, 2),
    ("Vijayawada", "Andhra Pradesh", 520001, 520015, 1),
    ("Puducherry", "Puducherry", 605001, 605014, 1),
    ("Gangtok", "Sikkim", 737101, 737103, 1),
    ("Shillong", "Meghalaya", 793001, 793022, 1),
)

# Marketplace fashion sellers cluster in garment and trading hubs (Tiruppur knitwear,
# Ludhiana woollens, Surat synthetics, Jaipur prints, Delhi NCR and Mumbai wholesale).
SELLER_HUBS: dict[str, int] = {
    "Mumbai": 8, "New Delhi": 8, "Bengaluru": 6, "Tiruppur": 6, "Ludhiana": 4, "Surat": 5,
    "Jaipur": 4, "Kolkata": 4, "Noida": 4, "Gurugram": 3, "Ahmedabad": 3, "Chennai": 3,
    "Indore": 2, "Pune": 2, "Hyderabad": 2,
}

# name: (HSN, SKU code, sizes, (min MRP, max MRP), gender word used in product names).
# HSN: 6109 knitted T-shirts, 6203 42 men's cotton trousers (jeans), 6205 20 men's cotton
# shirts, 6110 20 cotton sweatshirts, 6204 43 women's synthetic dresses, 6104 62 women's knitted
# cotton trousers, 6404 19 footwear with textile uppers, 4202 22 handbags of plastic/textile.
CATEGORY_TABLE: dict[str, tuple[str, str, tuple[str, ...], tuple[int, int], str]] = {
    "Men T-Shirts": ("61091000", "TS", ("S", "M", "L", "XL", "XXL"), (399, 1499), "Men"),
    "Men Shirts": ("62052000", "SH", ("S", "M", "L", "XL", "XXL"), (699, 2499), "Men"),
    "Men Jeans": ("62034200", "JN", ("28", "30", "32", "34", "36", "38", "40"), (899, 3299), "Men"),
    "Men Sweatshirts": ("61102000", "SW", ("S", "M", "L", "XL", "XXL"), (799, 2999), "Men"),
    "Women Dresses": ("62044300", "DR", ("XS", "S", "M", "L", "XL"), (599, 3499), "Women"),
    "Women Trousers": ("61046200", "TR", ("XS", "S", "M", "L", "XL"), (499, 1999), "Women"),
    "Men Casual Shoes": (
        "64041990", "SN", ("UK6", "UK7", "UK8", "UK9", "UK10", "UK11"), (999, 4999), "Men",
    ),
    "Women Handbags": ("42022210", "HB", ("Free Size",), (699, 3999), "Women"),
}

# Name parts per category: (fits, features, nouns).
NAME_PARTS: dict[str, tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]] = {
    "Men T-Shirts": (
        ("Slim Fit", "Regular Fit", "Relaxed Fit", "Oversized"),
        ("Crew-Neck", "V-Neck", "Graphic Print", "Striped", "Typographic Print", "Colourblock"),
        ("T-shirt", "Polo T-shirt", "Henley T-shirt"),
    ),
    "Men Shirts": (
        ("Slim Fit", "Regular Fit", "Tailored Fit"),
        ("Checked", "Striped", "Solid", "Printed", "Oxford", "Chambray"),
        ("Shirt", "Shirt with Patch Pocket", "Shirt with Spread Collar"),
    ),
    "Men Jeans": (
        ("Slim Fit", "Skinny Fit", "Straight Fit", "Tapered Fit", "Relaxed Fit"),
        ("Mid-Rise", "Lightly Washed", "Distressed", "Heavily Washed", "Clean-Look"),
        ("Jeans", "Jeans with 5-Pocket Styling"),
    ),
    "Men Sweatshirts": (
        ("Regular Fit", "Relaxed Fit", "Oversized"),
        ("Brand Print", "Colourblock", "Solid", "Typographic Print"),
        ("Crew-Neck Sweatshirt", "Hooded Sweatshirt", "Zip-Front Hoodie"),
    ),
    "Women Dresses": (
        ("", "Tiered", "Flared"),
        ("Floral Print", "Solid", "Polka-Dot", "Striped", "Abstract Print"),
        ("A-line Dress", "Fit & Flare Dress", "Shirt Dress", "Maxi Dress", "Bodycon Dress"),
    ),
    "Women Trousers": (
        ("Straight Fit", "Relaxed Fit", "Slim Fit"),
        ("Mid-Rise", "High-Rise", "Solid", "Striped"),
        ("Joggers", "Track Pants", "Flared Pants", "Palazzos"),
    ),
    "Men Casual Shoes": (
        ("", "Low-Top", "Mid-Top"),
        ("Lace-Up", "Slip-On", "Panelled", "Textured"),
        ("Sneakers", "Casual Shoes", "Running Shoes"),
    ),
    "Women Handbags": (
        ("", "Structured"),
        ("Textured", "Quilted", "Solid", "Colourblock"),
        ("Tote Bag", "Sling Bag", "Satchel", "Shoulder Bag"),
    ),
}

_ALL_APPAREL = ("Men T-Shirts", "Men Shirts", "Men Jeans", "Men Sweatshirts", "Women Dresses",
                "Women Trousers")

# brand: (SKU code, price factor, categories it sells). Factors lift known premium labels.
BRAND_TABLE: dict[str, tuple[str, float, tuple[str, ...]]] = {
    "DNMX": ("DNMX", 1.0, _ALL_APPAREL),
    "Netplay": ("NTPL", 1.0, ("Men T-Shirts", "Men Shirts", "Men Jeans", "Men Sweatshirts")),
    "Teamspirit": ("TMSP", 1.0, ("Men T-Shirts", "Men Sweatshirts", "Women Trousers",
                                 "Men Casual Shoes")),
    "Performax": ("PFMX", 1.1, ("Men T-Shirts", "Men Sweatshirts", "Women Trousers",
                                "Men Casual Shoes")),
    "Avaasa": ("AVSA", 1.0, ("Women Dresses", "Women Trousers")),
    "Yousta": ("YSTA", 0.8, ("Men T-Shirts", "Men Jeans", "Women Dresses")),
    "Fig": ("FIG", 1.0, ("Women Dresses", "Women Trousers")),
    "Outryt": ("OTRT", 1.0, ("Women Dresses", "Women Trousers", "Women Handbags")),
    "John Players": ("JP", 1.2, ("Men Shirts", "Men Jeans", "Men T-Shirts")),
    "Levis": ("LVS", 1.8, ("Men Jeans", "Men T-Shirts", "Men Shirts")),
    "Teakwood Leathers": ("TKWD", 1.3, ("Men Casual Shoes", "Women Handbags")),
    "Lino Perros": ("LNPR", 1.3, ("Women Handbags",)),
    "Red Tape": ("RDTP", 1.4, ("Men Casual Shoes",)),
}

COLOURS_GENERAL = (
    ("Black", "BLK"), ("White", "WHT"), ("Navy Blue", "NVY"), ("Grey", "GRY"), ("Olive", "OLV"),
    ("Maroon", "MRN"), ("Beige", "BGE"), ("Blue", "BLU"), ("Red", "RED"), ("Green", "GRN"),
    ("Mustard", "MST"), ("Pink", "PNK"), ("Lavender", "LVN"), ("Charcoal", "CHR"),
)
COLOURS_BY_CATEGORY: dict[str, tuple[tuple[str, str], ...]] = {
    "Men Jeans": (("Blue", "BLU"), ("Black", "BLK"), ("Indigo", "IND"), ("Grey", "GRY"),
                  ("Light Blue", "LBL")),
    "Men Casual Shoes": (("White", "WHT"), ("Black", "BLK"), ("Tan", "TAN"), ("Brown", "BRN"),
                         ("Navy Blue", "NVY"), ("Grey", "GRY")),
    "Women Handbags": (("Black", "BLK"), ("Tan", "TAN"), ("Brown", "BRN"), ("Beige", "BGE"),
                       ("Maroon", "MRN"), ("Pink", "PNK")),
}

# Discount percentages as marketplace listings use them: round numbers, heavy end-of-season cuts.
DISCOUNTS = (0, 10, 15, 20, 25, 30, 35, 40, 45, 50, 55, 60)
DISCOUNT_WEIGHTS = (6, 5, 4, 8, 5, 9, 5, 9, 4, 8, 3, 4)

SELLER_STEMS = (
    "Saanvi", "Shree Balaji", "Arihant", "Vardhman", "Om Sai", "Siddhivinayak", "Navkar",
    "Jai Ambe", "Shubh Laxmi", "Mahalaxmi", "Shri Krishna", "Ganpati", "Trinity", "Sunrise",
    "Kalpataru", "Aarav", "Riddhi Siddhi", "Shivam", "Tanishka", "Parshwa", "Sai Leela",
    "Anmol", "Vihaan", "Heritage", "Kaveri", "Indus", "Sterling", "Zenith", "Nakshatra",
    "Urban Threads", "Kesar", "Vedant", "Aadhya", "Rangoli", "Marigold", "Mehta", "Agarwal",
    "Jain", "Bansal", "Gupta",
)
SELLER_TRADES = (
    "Apparels", "Fashions", "Textiles", "Garments", "Clothing", "Creations", "Knitwear",
    "Exports", "Lifestyle", "Fabrics", "Hosiery", "Trends", "Retail", "Enterprises", "Overseas",
)
# Legal form -> PAN 4th character (C company, F firm/LLP, P individual proprietor).
LEGAL_FORMS = (("Pvt Ltd", "C", 5), ("Private Limited", "C", 2), ("LLP", "F", 2),
               ("& Co", "F", 1), ("", "P", 3))

# Deliberately state-neutral: "MIDC" or "SIDCO" would contradict the city in another state.
SELLER_AREAS = (
    "Industrial Estate", "Industrial Area Phase II", "Textile Market", "Udyog Nagar",
    "Apparel Park", "Garment Complex", "Hosiery Complex", "Cloth Market", "Industrial Area Phase I",
    "Trade Centre",
)
LANDMARKS = (
    "Near City Mall", "Opp. SBI Bank", "Behind Ram Mandir", "Near Bus Stand", "Opp. Post Office",
    "Near Railway Station", "Beside Apollo Pharmacy", "Near Government School", "Opp. Petrol Pump",
    "Near Metro Station", "Behind Hanuman Temple", "Near Reliance Fresh",
)
BUILDINGS = (
    "Sai Krupa Apartments", "Shanti Niketan", "Green Valley Residency", "Lakshmi Nivas",
    "Prestige Towers", "Gokul Dham Society", "Sunshine Enclave", "Orchid Heights",
    "Krishna Kunj", "Royal Palms", "Ganga Vihar", "Silver Oak Residency",
)
EMAIL_DOMAINS = (("gmail.com", 70), ("yahoo.co.in", 8), ("yahoo.com", 6), ("outlook.com", 7),
                 ("rediffmail.com", 4), ("hotmail.com", 5))
