"""The six pillars and their eighteen sub-dimensions, as the national guidance defines them.

Read by the data migration that creates them; kept here so tests can compare against one source.
"""

PILLARS = [
    {
        "slug": "governance",
        "order": 1,
        "colour": "#1d4ed8",
        "name_ind": "Tata Kelola Cerdas",
        "name_en": "Smart Governance",
        "description_ind": "Pelayanan publik, kebijakan publik, dan birokrasi yang efektif, efisien, dan transparan.",
        "description_en": "Public services, public policy and a bureaucracy that are effective, efficient and open.",
        "sub_dimensions": [
            ("public-services", "Layanan publik", "Public services"),
            ("public-policy", "Kebijakan publik", "Public policy"),
            ("bureaucracy", "Tata kelola birokrasi", "Bureaucracy"),
        ],
    },
    {
        "slug": "branding",
        "order": 2,
        "colour": "#b45309",
        "name_ind": "Branding Cerdas",
        "name_en": "Smart Branding",
        "description_ind": "Daya saing kota melalui pariwisata, iklim bisnis, dan wajah kota.",
        "description_en": "The city's appeal through tourism, its business climate and its appearance.",
        "sub_dimensions": [
            ("tourism", "Pariwisata", "Tourism"),
            ("business", "Bisnis", "Business"),
            ("city-appearance", "Wajah kota", "City appearance"),
        ],
    },
    {
        "slug": "economy",
        "order": 3,
        "colour": "#047857",
        "name_ind": "Ekonomi Cerdas",
        "name_en": "Smart Economy",
        "description_ind": "Ekonomi yang tumbuh dengan teknologi: industri, kesejahteraan, dan transaksi keuangan.",
        "description_en": "An economy that grows with technology: industry, welfare and financial transactions.",
        "sub_dimensions": [
            ("industry", "Industri", "Industry"),
            ("welfare", "Kesejahteraan rakyat", "Welfare"),
            ("transactions", "Ekosistem transaksi keuangan", "Financial transactions"),
        ],
    },
    {
        "slug": "living",
        "order": 4,
        "colour": "#be123c",
        "name_ind": "Kehidupan Cerdas",
        "name_en": "Smart Living",
        "description_ind": "Kota yang layak huni: harmoni, kesehatan, dan mobilitas warga.",
        "description_en": "A liveable city: harmony, health and getting around.",
        "sub_dimensions": [
            ("harmony", "Harmonisasi", "Harmony"),
            ("health", "Kesehatan", "Health"),
            ("mobility", "Mobilitas dan transportasi", "Mobility"),
        ],
    },
    {
        "slug": "society",
        "order": 5,
        "colour": "#7e22ce",
        "name_ind": "Masyarakat Cerdas",
        "name_en": "Smart Society",
        "description_ind": "Warga yang terhubung: komunitas, ekosistem belajar, dan keamanan.",
        "description_en": "Connected citizens: community, a learning ecosystem and security.",
        "sub_dimensions": [
            ("community", "Komunitas", "Community"),
            ("learning", "Ekosistem belajar", "Learning"),
            ("security", "Keamanan", "Security"),
        ],
    },
    {
        "slug": "environment",
        "order": 6,
        "colour": "#15803d",
        "name_ind": "Lingkungan Cerdas",
        "name_en": "Smart Environment",
        "description_ind": "Lingkungan yang terjaga: proteksi lingkungan, pengelolaan sampah dan limbah, serta energi.",
        "description_en": "A protected environment: environmental protection, waste and energy.",
        "sub_dimensions": [
            ("protection", "Proteksi lingkungan", "Environmental protection"),
            ("waste", "Sampah dan limbah", "Waste"),
            ("energy", "Energi", "Energy"),
        ],
    },
]
