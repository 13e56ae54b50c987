"""Realistic sample content (kk, ru, en) for demo submissions: topics, partners, technologies, narrative.

This is invented demo data, not user-facing interface text. Every text is a (kk, ru, en) triple;
codes referred to here (areas, indicators, countries) are checked against the catalog by the tests
and filtered by the generator, so an edited registry cannot produce out-of-catalog codes.
"""

from __future__ import annotations

from council.catalog import LANGUAGES

Text = tuple[str, str, str]


def tr(text: Text, lang: str) -> str:
    """The triple's text in `lang` (kk, ru or en)."""
    return text[LANGUAGES.index(lang)] if lang in LANGUAGES else text[1]


# The language each centre writes its report in; unknown centres cycle through LANGUAGES.
CENTRE_LANGUAGES = {
    "AGRO": "kk",
    "OILGAS": "ru",
    "ELEC": "en",
    "HEALTH": "ru",
    "MINMET": "ru",
    "ENERGY": "kk",
    "MACH": "en",
    "CHEM": "ru",
}

# Project topics per centre: (priority area, title). Most in the centre's own area, a few elsewhere.
TOPICS: dict[str, list[tuple[str, Text]]] = {
    "AGRO": [
        ("AGRITECH", ("Дәлме-дәл егіншілік жүйесі", "Система точного земледелия", "Precision farming system")),
        ("AGRITECH", ("Тамшылатып суару технологиясы", "Технология капельного орошения", "Drip irrigation technology")),
        ("AGRITECH", ("Биотыңайтқыштар өндірісі", "Производство биоудобрений", "Bio-fertiliser production")),
        (
            "AGRITECH",
            ("Мал шаруашылығын цифрлық бақылау", "Цифровой мониторинг животноводства", "Digital livestock monitoring"),
        ),
        ("AGRITECH", ("Астықты терең өңдеу", "Глубокая переработка зерна", "Deep grain processing")),
        (
            "AGRITECH",
            (
                "Құрғақшылыққа төзімді бидай селекциясы",
                "Селекция засухоустойчивой пшеницы",
                "Drought-resistant wheat breeding",
            ),
        ),
        ("GREENTECH", ("Фермалардағы биогаз қондырғылары", "Биогазовые установки на фермах", "On-farm biogas plants")),
    ],
    "OILGAS": [
        ("OTHER", ("Ұңғымаларды цифрлық бақылау", "Цифровой мониторинг скважин", "Digital well monitoring")),
        ("OTHER", ("Мұнай бергіштікті арттыру әдістері", "Методы увеличения нефтеотдачи", "Enhanced oil recovery")),
        (
            "OTHER",
            ("Құбырларды коррозиядан қорғау", "Антикоррозионная защита трубопроводов", "Pipeline corrosion protection"),
        ),
        (
            "OTHER",
            (
                "Бұрғылау ерітінділерін импорттан алмастыру",
                "Импортозамещение буровых растворов",
                "Local drilling fluids",
            ),
        ),
        (
            "GREENTECH",
            ("Ілеспе газды кәдеге жарату", "Утилизация попутного нефтяного газа", "Associated gas utilisation"),
        ),
        ("GREENTECH", ("Метан шығарындыларын азайту", "Снижение выбросов метана", "Methane emission reduction")),
    ],
    "ELEC": [
        ("OTHER", ("Өнеркәсіптік IoT датчиктері", "Промышленные IoT-датчики", "Industrial IoT sensors")),
        (
            "OTHER",
            (
                "Баспа платаларын жергілікті өндіру",
                "Локальное производство печатных плат",
                "Local printed circuit boards",
            ),
        ),
        (
            "OTHER",
            ("Ақылды электр есептегіштері", "Интеллектуальные счётчики электроэнергии", "Smart electricity meters"),
        ),
        (
            "OTHER",
            ("Өлшеу құралдарының метрологиясы", "Метрология средств измерений", "Metrology of measuring instruments"),
        ),
        (
            "MEDTECH",
            (
                "Портативті диагностикалық құрылғылар",
                "Портативные диагностические приборы",
                "Portable diagnostic devices",
            ),
        ),
        (
            "GREENTECH",
            ("Энергия тиімді LED жарықтандыру", "Энергоэффективное LED-освещение", "Energy-efficient LED lighting"),
        ),
    ],
    "HEALTH": [
        (
            "MEDTECH",
            (
                "Ауылдық емханаларға арналған телемедицина",
                "Телемедицина для сельских поликлиник",
                "Telemedicine for rural clinics",
            ),
        ),
        (
            "MEDTECH",
            ("Рентген суреттерін ЖИ-мен талдау", "ИИ-анализ рентгеновских снимков", "AI analysis of X-ray images"),
        ),
        ("MEDTECH", ("Отандық медициналық бұйымдар", "Отечественные медицинские изделия", "Domestic medical devices")),
        (
            "MEDTECH",
            (
                "Жаңа туған нәрестелердің генетикалық скринингі",
                "Генетический скрининг новорождённых",
                "Newborn genetic screening",
            ),
        ),
        (
            "MEDTECH",
            (
                "Дәрілік заттар өндірісін локализациялау",
                "Локализация производства лекарств",
                "Local production of medicines",
            ),
        ),
        (
            "GREENTECH",
            (
                "Медициналық қалдықтарды залалсыздандыру",
                "Обезвреживание медицинских отходов",
                "Medical waste treatment",
            ),
        ),
    ],
    "MINMET": [
        (
            "OTHER",
            (
                "Байыту фабрикасының цифрлық егізі",
                "Цифровой двойник обогатительной фабрики",
                "Concentrator digital twin",
            ),
        ),
        (
            "OTHER",
            (
                "Тау-кен техникасын қашықтан басқару",
                "Дистанционное управление горной техникой",
                "Remote mining machinery",
            ),
        ),
        ("OTHER", ("Сирек жер металдарын алу", "Извлечение редкоземельных металлов", "Rare earth extraction")),
        (
            "OTHER",
            (
                "Карьер беткейлерінің тұрақтылығын бақылау",
                "Мониторинг устойчивости бортов карьеров",
                "Pit slope monitoring",
            ),
        ),
        ("GREENTECH", ("Қалдық қоймаларын қайта өңдеу", "Переработка хвостохранилищ", "Tailings reprocessing")),
        (
            "GREENTECH",
            (
                "Металлургиядағы шығарындыларды ұстау",
                "Улавливание выбросов в металлургии",
                "Emission capture in smelters",
            ),
        ),
    ],
    "ENERGY": [
        (
            "GREENTECH",
            (
                "Жел электр станцияларының өндірісін болжау",
                "Прогноз выработки ветровых станций",
                "Wind output forecasting",
            ),
        ),
        ("GREENTECH", ("Энергия жинақтау жүйелері", "Системы накопления энергии", "Energy storage systems")),
        ("GREENTECH", ("Ақылды электр желілері", "Интеллектуальные электросети", "Smart grids")),
        ("GREENTECH", ("ЖЭО энергия тиімділігі", "Энергоэффективность ТЭЦ", "CHP plant efficiency")),
        (
            "GREENTECH",
            ("Жылу желілеріндегі шығынды азайту", "Снижение потерь в тепловых сетях", "Heat network loss reduction"),
        ),
        ("OTHER", ("Релелік қорғаныстың цифрлық жүйелері", "Цифровая релейная защита", "Digital relay protection")),
    ],
    "MACH": [
        (
            "OTHER",
            (
                "Қосалқы бөлшектерді аддитивті өндіру",
                "Аддитивное производство запчастей",
                "Additive manufacturing of spare parts",
            ),
        ),
        ("OTHER", ("СБЖ станоктарын жаңғырту", "Модернизация станков с ЧПУ", "CNC machine modernisation")),
        ("OTHER", ("Өнеркәсіптік роботтарды енгізу", "Внедрение промышленных роботов", "Industrial robot deployment")),
        (
            "OTHER",
            (
                "Вагон жасау бөлшектерін локализациялау",
                "Локализация компонентов вагоностроения",
                "Railcar component localisation",
            ),
        ),
        (
            "AGRITECH",
            ("Ауыл шаруашылығы техникасына навигация", "Навигация для сельхозтехники", "Navigation for farm machinery"),
        ),
        ("GREENTECH", ("Электробус құрастыру", "Сборка электробусов", "Electric bus assembly")),
    ],
    "CHEM": [
        ("OTHER", ("Полимерлер өндірісі", "Производство полимеров", "Polymer production")),
        ("OTHER", ("Мұнай-химиялық катализ", "Нефтехимический катализ", "Petrochemical catalysis")),
        (
            "OTHER",
            ("Тұрмыстық химияны импорттан алмастыру", "Импортозамещение бытовой химии", "Local household chemicals"),
        ),
        ("OTHER", ("Күкіртті кәдеге жарату", "Утилизация серы", "Sulphur utilisation")),
        (
            "AGRITECH",
            ("Кешенді минералды тыңайтқыштар", "Комплексные минеральные удобрения", "Compound mineral fertilisers"),
        ),
        (
            "GREENTECH",
            ("Пластикті химиялық қайта өңдеу", "Химическая переработка пластика", "Chemical recycling of plastics"),
        ),
    ],
}
GENERIC_TOPICS: list[tuple[str, Text]] = [
    ("OTHER", ("Өндірісті цифрландыру", "Цифровизация производства", "Digitalisation of production")),
    ("OTHER", ("Технологиялық аудит", "Технологический аудит", "Technology audit")),
    ("GREENTECH", ("Энергия аудиті", "Энергоаудит предприятий", "Energy audits")),
]

TITLE_PATTERNS: list[Text] = [
    ("{topic}", "{topic}", "{topic}"),
    ("{topic}: пилоттық жоба", "{topic}: пилотный проект", "{topic}: pilot project"),
    ("{topic}: тәжірибелік-өнеркәсіптік сынақ", "{topic}: опытно-промышленные испытания", "{topic}: industrial trials"),
    ("{topic}: {n}-кезең", "{topic}: этап {n}", "{topic}: phase {n}"),
]

SECTORS: dict[str, list[Text]] = {
    "AGRO": [
        ("Өсімдік шаруашылығы", "Растениеводство", "Crop farming"),
        ("Мал шаруашылығы", "Животноводство", "Livestock"),
    ],
    "OILGAS": [("Мұнай өндіру", "Нефтедобыча", "Oil production"), ("Газ өңдеу", "Газопереработка", "Gas processing")],
    "ELEC": [("Электроника", "Электроника", "Electronics"), ("Аспап жасау", "Приборостроение", "Instrument making")],
    "HEALTH": [
        ("Денсаулық сақтау", "Здравоохранение", "Healthcare"),
        ("Фармацевтика", "Фармацевтика", "Pharmaceuticals"),
    ],
    "MINMET": [("Тау-кен өндірісі", "Горнодобыча", "Mining"), ("Металлургия", "Металлургия", "Metallurgy")],
    "ENERGY": [
        ("Электр энергетикасы", "Электроэнергетика", "Power generation"),
        ("Жылумен жабдықтау", "Теплоснабжение", "Heat supply"),
    ],
    "MACH": [
        ("Машина жасау", "Машиностроение", "Mechanical engineering"),
        ("Көлік машинасын жасау", "Транспортное машиностроение", "Transport engineering"),
    ],
    "CHEM": [
        ("Химия өнеркәсібі", "Химическая промышленность", "Chemicals"),
        ("Мұнай-химия", "Нефтехимия", "Petrochemicals"),
    ],
}
GENERIC_SECTORS: list[Text] = [("Өнеркәсіп", "Промышленность", "Industry")]

# Partner and adopter organisations: a brand (Cyrillic, Latin) and a legal form per language.
BRANDS: list[tuple[str, str]] = [
    ("АгроИнновации", "AgroInnovations"),
    ("Дала Тех", "Dala Tech"),
    ("Сункар Инжиниринг", "Sunkar Engineering"),
    ("Болашак Медикал", "Bolashak Medical"),
    ("Алтын Жер", "Altyn Zher"),
    ("ЭнергоСервис Астана", "EnergoService Astana"),
    ("Казахметалл", "Kazakhmetall"),
    ("ХимПром Павлодар", "KhimProm Pavlodar"),
    ("Номад Роботикс", "Nomad Robotics"),
    ("Туран Электроника", "Turan Electronics"),
    ("Жасыл Энергия", "Zhasyl Energy"),
    ("Сарыарка Агро", "Saryarka Agro"),
    ("Каспий Инжиниринг", "Caspian Engineering"),
    ("Шымкент Фарм", "Shymkent Pharm"),
    ("Иртыш Машинери", "Irtysh Machinery"),
    ("КазМунайТех", "KazMunayTech"),
]
LEGAL_FORMS: list[Text] = [
    ("«{brand}» ЖШС", "ТОО «{brand}»", "{brand} LLP"),
    ("«{brand}» АҚ", "АО «{brand}»", "{brand} JSC"),
]

TECHNOLOGIES: dict[str, list[Text]] = {
    "MEDTECH": [
        ("КТ суреттерін ЖИ-мен талдау", "ИИ-анализ КТ-снимков", "AI-based CT analysis"),
        ("Портативті УДЗ аппараты", "Портативный УЗИ-аппарат", "Portable ultrasound scanner"),
        ("Телемедициналық платформа", "Телемедицинская платформа", "Telemedicine platform"),
        ("ПТР экспресс-тесті", "Экспресс-тест ПЦР", "Rapid PCR test"),
        ("Бионикалық протез", "Бионический протез", "Bionic prosthesis"),
    ],
    "AGRITECH": [
        ("Бүркуге арналған агродрондар", "Агродроны для опрыскивания", "Crop-spraying drones"),
        ("Топырақ ылғалдылығы датчиктері", "Датчики влажности почвы", "Soil moisture sensors"),
        ("Гидропоникалық жылыжай", "Гидропонная теплица", "Hydroponic greenhouse"),
        ("Биоинсектицид", "Биоинсектицид", "Bio-insecticide"),
        ("Малды электрондық сәйкестендіру", "Электронная идентификация скота", "Electronic livestock ID"),
    ],
    "GREENTECH": [
        ("Жылу сорғысы", "Тепловой насос", "Heat pump"),
        ("Литий-иондық энергия жинақтағыш", "Литий-ионный накопитель энергии", "Lithium-ion energy storage"),
        ("Екі жақты күн панельдері", "Двусторонние солнечные панели", "Bifacial solar panels"),
        (
            "Сорғыларға арналған жиілік түрлендіргіштері",
            "Частотные преобразователи для насосов",
            "Variable-frequency pump drives",
        ),
        ("Биогаз реакторы", "Биогазовый реактор", "Biogas reactor"),
    ],
    "OTHER": [
        ("Өнеркәсіптік экзоскелет", "Промышленный экзоскелет", "Industrial exoskeleton"),
        ("Машиналық көру жүйесі", "Система машинного зрения", "Machine vision system"),
        ("Жабдықтың цифрлық егізі", "Цифровой двойник оборудования", "Equipment digital twin"),
        ("Металл бөлшектерді 3D басып шығару", "3D-печать металлических деталей", "Metal 3D printing"),
        ("Болжамды техникалық қызмет көрсету", "Предиктивное техобслуживание", "Predictive maintenance"),
    ],
}
# Effect metric per area, with a plausible range for its value.
EFFECTS: dict[str, tuple[Text, float, float]] = {
    "MEDTECH": (
        ("Диагностика уақытының қысқаруы, %", "Сокращение времени диагностики, %", "Diagnosis time saved, %"),
        10,
        60,
    ),
    "AGRITECH": (("Өнімділіктің өсуі, ц/га", "Прирост урожайности, ц/га", "Yield increase, c/ha"), 1.5, 9),
    "GREENTECH": (("Энергия үнемдеу, МВт·сағ/жыл", "Экономия энергии, МВт·ч/год", "Energy saved, MWh/year"), 200, 9000),
    "OTHER": (("Еңбек өнімділігінің өсуі, %", "Рост производительности труда, %", "Productivity gain, %"), 5, 40),
}
FOREIGN_ORIGINS = ["DE", "CN", "KR", "TR", "US", "IL", "FI", "NL", "JP", "IT", "UZ"]

BUDGET_LINES: list[Text] = [
    ("Зерттеушілердің еңбекақысы", "Оплата труда исследователей", "Researcher salaries"),
    ("Зертханалық жабдық сатып алу", "Приобретение лабораторного оборудования", "Laboratory equipment"),
    ("Пилоттық сынақтар", "Пилотные испытания", "Pilot trials"),
    ("Патенттеу және сертификаттау", "Патентование и сертификация", "Patenting and certification"),
    ("Бөгде ұйымдардың қызметтері", "Услуги сторонних организаций", "Contracted services"),
    ("Персоналды оқыту", "Обучение персонала", "Staff training"),
    ("Талдамалық зерттеулер", "Аналитические исследования", "Analytical studies"),
    ("Іссапар шығыстары", "Командировочные расходы", "Travel"),
]
VARIANCE_REASONS: list[Text] = [
    (
        "Конкурстық сатып алу нәтижесіндегі үнем.",
        "Экономия по итогам конкурсных закупок.",
        "Savings from competitive procurement.",
    ),
    (
        "Жабдықты жеткізу келесі кезеңге ауыстырылды.",
        "Поставка оборудования перенесена на следующий период.",
        "Equipment delivery moved to the next period.",
    ),
]

# KPI indicators: reported per priority area (common + the area's own) or centre-wide (ALL only).
AREA_INDICATORS = [
    "PAT_APP_KZ",
    "LICENCES",
    "TECH_TRANSFERS",
    "STARTUPS_SUPPORTED",
    "PILOTS_STARTED",
    "IMPLEMENTATIONS",
    "JOBS_CREATED",
    "INVEST_PUBLIC_KZT",
    "INVEST_PRIVATE_KZT",
    "INVEST_FOREIGN_KZT",
    "SALES_INNOV_KZT",
    "EXPORT_KZT",
    "IMPORT_SUBST_KZT",
    "ENTERPRISES_ENGAGED",
]
AREA_SPECIFIC_INDICATORS = {
    "AGRITECH": ["AREA_COVERED_HA"],
    "MEDTECH": ["PATIENTS_REACHED"],
    "GREENTECH": ["ENERGY_SAVED_MWH", "CO2E_AVOIDED_T"],
}
CENTRE_WIDE_INDICATORS = ["REPORTS_PUBLISHED", "PAT_APP_EAPO", "PAT_APP_PCT"]
# Plausible value per half-year (per area) for the first period; KZT in millions to billions.
INDICATOR_SCALES: dict[str, tuple[float, float]] = {
    "PAT_APP_KZ": (2, 10),
    "PAT_APP_EAPO": (1, 4),
    "PAT_APP_PCT": (1, 3),
    "LICENCES": (1, 5),
    "TECH_TRANSFERS": (1, 6),
    "STARTUPS_SUPPORTED": (3, 20),
    "PILOTS_STARTED": (2, 8),
    "IMPLEMENTATIONS": (2, 6),
    "JOBS_CREATED": (10, 80),
    "ENTERPRISES_ENGAGED": (15, 120),
    "REPORTS_PUBLISHED": (2, 8),
    "PATIENTS_REACHED": (2_000, 40_000),
    "AREA_COVERED_HA": (5_000, 120_000),
    "ENERGY_SAVED_MWH": (1_500, 40_000),
    "CO2E_AVOIDED_T": (1_000, 30_000),
    "INVEST_PUBLIC_KZT": (300e6, 5e9),
    "INVEST_PRIVATE_KZT": (100e6, 3e9),
    "INVEST_FOREIGN_KZT": (50e6, 2e9),
    "SALES_INNOV_KZT": (200e6, 8e9),
    "EXPORT_KZT": (50e6, 3e9),
    "IMPORT_SUBST_KZT": (100e6, 4e9),
}
UNIT_SCALES: dict[str, tuple[float, float]] = {
    "COUNT": (1, 20),
    "KZT": (50e6, 2e9),
    "MWH": (500, 20_000),
    "T_CO2E": (300, 15_000),
    "HA": (1_000, 50_000),
}
ESTIMATE_COMMENTS: list[Text] = [
    (
        "5 айдың деректері бойынша бағалау; нақты мән кейін нақтыланады.",
        "Оценка по данным за 5 месяцев; факт будет уточнён.",
        "Estimated from five months of data; actuals to follow.",
    ),
    ("Серіктестің алдын ала деректері.", "Предварительные данные партнёра.", "Provisional figures from the partner."),
]
PROJECT_COMMENTS: list[Text] = [
    ("Серіктеспен келісім қайта жасалды.", "Договор с партнёром перезаключён.", "Partner agreement renewed."),
    ("Сынақтар кестеге сәйкес.", "Испытания идут по графику.", "Trials on schedule."),
]

ACHIEVEMENTS: list[Text] = [
    (
        "{project_id} «{title}» жобасының кезеңі аяқталды: TRL {trl} деңгейіне жетті.",
        "Завершён этап проекта {project_id} «{title}»: УГТ достиг {trl}.",
        "Completed a stage of project {project_id} “{title}”: TRL reached {trl}.",
    ),
    (
        "«{technology}» технологиясы {adopter} кәсіпорнында енгізілді.",
        "Технология «{technology}» внедрена на предприятии {adopter}.",
        "The technology “{technology}” was implemented at {adopter}.",
    ),
]
RISKS: list[tuple[str, Text]] = [
    (
        "AMBER",
        (
            "Импорттық жабдықты жеткізудің кешігуі пилоттарды 2–3 айға жылжытуы мүмкін.",
            "Задержка поставки импортного оборудования может сдвинуть пилоты на 2–3 месяца.",
            "Late delivery of imported equipment may delay pilots by 2–3 months.",
        ),
    ),
    (
        "RED",
        (
            "Өңірлерде білікті инженерлер жетіспейді.",
            "Нехватка квалифицированных инженеров в регионах.",
            "Shortage of qualified engineers in the regions.",
        ),
    ),
    (
        "AMBER",
        (
            "Валюта бағамының өсуі құрамдас бөліктердің құнын арттырады.",
            "Рост курса валют увеличивает стоимость комплектующих.",
            "Currency depreciation raises the cost of components.",
        ),
    ),
    (
        "GREEN",
        (
            "Жергілікті бюджеттен қоса қаржыландыру расталды, тәуекел төмен.",
            "Софинансирование из местного бюджета подтверждено, риск низкий.",
            "Co-funding from the local budget is confirmed; the risk is low.",
        ),
    ),
]
DECISION_REQUESTS: list[Text] = [
    (
        "Кеңестен {year} жылы пилоттық жобаларды қоса қаржыландыруды қарастыруды тапсыруды сұраймыз.",
        "Просим Совет поручить предусмотреть софинансирование пилотных проектов в {year} году.",
        "We ask the Council to provide co-funding for pilot projects in {year}.",
    ),
    (
        "Орталықтың отандық әзірлемелерін квазимемлекеттік сектордың сатып алу тізбесіне енгізуді сұраймыз.",
        "Просим включить отечественные разработки центра в перечень закупок квазигоссектора.",
        "We ask that the centre's domestic developments be added to state-owned companies' procurement lists.",
    ),
]
PEOPLE: dict[str, list[tuple[str, str]]] = {
    "kk": [
        ("Айгүл Нұрланова", "a.nurlanova"),
        ("Ерлан Сейітов", "e.seitov"),
        ("Динара Әбдірахманова", "d.abdrakhmanova"),
    ],
    "ru": [("Ольга Ким", "o.kim"), ("Сергей Петренко", "s.petrenko"), ("Асель Жумабаева", "a.zhumabayeva")],
    "en": [("Aigerim Sultanova", "a.sultanova"), ("Daniyar Omarov", "d.omarov"), ("Madina Iskakova", "m.iskakova")],
}
CORRECTION_REASONS: list[Text] = [
    (
        "Ескертулер бойынша қаржыландыру сомалары мен өлшем бірлігі түзетілді.",
        "Исправлены суммы финансирования и единица измерения по замечаниям.",
        "Funding amounts and a unit corrected after feedback.",
    ),
]
# Human file names per language: {centre} {period}, as centres really name their files.
FILE_NAMES: dict[str, list[str]] = {
    "kk": ["{centre}-{period}-есеп.xlsx", "Есеп_{centre}_{period}.xlsx"],
    "ru": ["Отчёт_{centre}_{period}.xlsx", "Отчет {centre} за {period} (финал).xlsx"],
    "en": ["{centre} report {period}.xlsx", "{centre}_{period}_report_v2.xlsx"],
}
CORRECTED_FILE_NAMES = {
    "kk": "{centre}-{period}-есеп-түзетілген.xlsx",
    "ru": "Отчёт_{centre}_{period}_исправленный.xlsx",
    "en": "{centre} report {period} corrected.xlsx",
}
