using System.Collections.Frozen;

namespace EventSourcedClinic.Domain.Therapists;

/// <summary>
/// The codes a therapist's profile may use. Specialisations and methods are the clinic's own codes (kebab case);
/// languages are ISO 639-1 two-letter codes.
/// </summary>
public static class Catalogue
{
    public static readonly FrozenDictionary<string, string> Specialisations = new Dictionary<string, string>
    {
        ["depression"] = "Depression",
        ["anxiety"] = "Generalised anxiety",
        ["panic"] = "Panic disorder",
        ["social-anxiety"] = "Social anxiety",
        ["health-anxiety"] = "Health anxiety",
        ["phobias"] = "Phobias",
        ["trauma-ptsd"] = "Trauma and PTSD",
        ["ocd"] = "Obsessive-compulsive disorder",
        ["eating-disorders"] = "Eating disorders",
        ["relationships"] = "Relationships",
        ["grief"] = "Bereavement and grief",
        ["stress"] = "Stress and burnout",
        ["low-self-esteem"] = "Low self-esteem",
        ["perinatal"] = "Perinatal mental health",
        ["addiction"] = "Addiction",
        ["insomnia"] = "Insomnia",
        ["anger"] = "Anger",
        ["long-term-conditions"] = "Long-term physical health conditions",
    }.ToFrozenDictionary();

    public static readonly FrozenDictionary<string, string> Methods = new Dictionary<string, string>
    {
        ["cbt"] = "Cognitive behavioural therapy",
        ["emdr"] = "Eye movement desensitisation and reprocessing",
        ["person-centred"] = "Person-centred counselling",
        ["psychodynamic"] = "Psychodynamic psychotherapy",
        ["ipt"] = "Interpersonal psychotherapy",
        ["dit"] = "Dynamic interpersonal therapy",
        ["cft"] = "Compassion-focused therapy",
        ["act"] = "Acceptance and commitment therapy",
        ["couples"] = "Couples therapy for depression",
        ["dbt"] = "Dialectical behaviour therapy",
        ["mbct"] = "Mindfulness-based cognitive therapy",
        ["integrative"] = "Integrative counselling",
        ["schema"] = "Schema therapy",
        ["family"] = "Systemic family therapy",
    }.ToFrozenDictionary();

    /// <summary>ISO 639-1 codes with their English names.</summary>
    public static readonly FrozenDictionary<string, string> Languages = new Dictionary<string, string>
    {
        ["aa"] = "Afar", ["ab"] = "Abkhazian", ["ae"] = "Avestan", ["af"] = "Afrikaans", ["ak"] = "Akan",
        ["am"] = "Amharic", ["an"] = "Aragonese", ["ar"] = "Arabic", ["as"] = "Assamese", ["av"] = "Avaric",
        ["ay"] = "Aymara", ["az"] = "Azerbaijani", ["ba"] = "Bashkir", ["be"] = "Belarusian", ["bg"] = "Bulgarian",
        ["bi"] = "Bislama", ["bm"] = "Bambara", ["bn"] = "Bengali", ["bo"] = "Tibetan", ["br"] = "Breton",
        ["bs"] = "Bosnian", ["ca"] = "Catalan", ["ce"] = "Chechen", ["ch"] = "Chamorro", ["co"] = "Corsican",
        ["cr"] = "Cree", ["cs"] = "Czech", ["cu"] = "Church Slavic", ["cv"] = "Chuvash", ["cy"] = "Welsh",
        ["da"] = "Danish", ["de"] = "German", ["dv"] = "Divehi", ["dz"] = "Dzongkha", ["ee"] = "Ewe",
        ["el"] = "Greek", ["en"] = "English", ["eo"] = "Esperanto", ["es"] = "Spanish", ["et"] = "Estonian",
        ["eu"] = "Basque", ["fa"] = "Persian", ["ff"] = "Fulah", ["fi"] = "Finnish", ["fj"] = "Fijian",
        ["fo"] = "Faroese", ["fr"] = "French", ["fy"] = "Western Frisian", ["ga"] = "Irish", ["gd"] = "Scottish Gaelic",
        ["gl"] = "Galician", ["gn"] = "Guarani", ["gu"] = "Gujarati", ["gv"] = "Manx", ["ha"] = "Hausa",
        ["he"] = "Hebrew", ["hi"] = "Hindi", ["ho"] = "Hiri Motu", ["hr"] = "Croatian", ["ht"] = "Haitian Creole",
        ["hu"] = "Hungarian", ["hy"] = "Armenian", ["hz"] = "Herero", ["ia"] = "Interlingua", ["id"] = "Indonesian",
        ["ie"] = "Interlingue", ["ig"] = "Igbo", ["ii"] = "Sichuan Yi", ["ik"] = "Inupiaq", ["io"] = "Ido",
        ["is"] = "Icelandic", ["it"] = "Italian", ["iu"] = "Inuktitut", ["ja"] = "Japanese", ["jv"] = "Javanese",
        ["ka"] = "Georgian", ["kg"] = "Kongo", ["ki"] = "Kikuyu", ["kj"] = "Kuanyama", ["kk"] = "Kazakh",
        ["kl"] = "Kalaallisut", ["km"] = "Khmer", ["kn"] = "Kannada", ["ko"] = "Korean", ["kr"] = "Kanuri",
        ["ks"] = "Kashmiri", ["ku"] = "Kurdish", ["kv"] = "Komi", ["kw"] = "Cornish", ["ky"] = "Kyrgyz",
        ["la"] = "Latin", ["lb"] = "Luxembourgish", ["lg"] = "Ganda", ["li"] = "Limburgish", ["ln"] = "Lingala",
        ["lo"] = "Lao", ["lt"] = "Lithuanian", ["lu"] = "Luba-Katanga", ["lv"] = "Latvian", ["mg"] = "Malagasy",
        ["mh"] = "Marshallese", ["mi"] = "Maori", ["mk"] = "Macedonian", ["ml"] = "Malayalam", ["mn"] = "Mongolian",
        ["mr"] = "Marathi", ["ms"] = "Malay", ["mt"] = "Maltese", ["my"] = "Burmese", ["na"] = "Nauru",
        ["nb"] = "Norwegian Bokmal", ["nd"] = "North Ndebele", ["ne"] = "Nepali", ["ng"] = "Ndonga", ["nl"] = "Dutch",
        ["nn"] = "Norwegian Nynorsk", ["no"] = "Norwegian", ["nr"] = "South Ndebele", ["nv"] = "Navajo", ["ny"] = "Chichewa",
        ["oc"] = "Occitan", ["oj"] = "Ojibwa", ["om"] = "Oromo", ["or"] = "Odia", ["os"] = "Ossetian",
        ["pa"] = "Punjabi", ["pi"] = "Pali", ["pl"] = "Polish", ["ps"] = "Pashto", ["pt"] = "Portuguese",
        ["qu"] = "Quechua", ["rm"] = "Romansh", ["rn"] = "Rundi", ["ro"] = "Romanian", ["ru"] = "Russian",
        ["rw"] = "Kinyarwanda", ["sa"] = "Sanskrit", ["sc"] = "Sardinian", ["sd"] = "Sindhi", ["se"] = "Northern Sami",
        ["sg"] = "Sango", ["si"] = "Sinhala", ["sk"] = "Slovak", ["sl"] = "Slovenian", ["sm"] = "Samoan",
        ["sn"] = "Shona", ["so"] = "Somali", ["sq"] = "Albanian", ["sr"] = "Serbian", ["ss"] = "Swati",
        ["st"] = "Southern Sotho", ["su"] = "Sundanese", ["sv"] = "Swedish", ["sw"] = "Swahili", ["ta"] = "Tamil",
        ["te"] = "Telugu", ["tg"] = "Tajik", ["th"] = "Thai", ["ti"] = "Tigrinya", ["tk"] = "Turkmen",
        ["tl"] = "Tagalog", ["tn"] = "Tswana", ["to"] = "Tonga", ["tr"] = "Turkish", ["ts"] = "Tsonga",
        ["tt"] = "Tatar", ["tw"] = "Twi", ["ty"] = "Tahitian", ["ug"] = "Uyghur", ["uk"] = "Ukrainian",
        ["ur"] = "Urdu", ["uz"] = "Uzbek", ["ve"] = "Venda", ["vi"] = "Vietnamese", ["vo"] = "Volapuk",
        ["wa"] = "Walloon", ["wo"] = "Wolof", ["xh"] = "Xhosa", ["yi"] = "Yiddish", ["yo"] = "Yoruba",
        ["za"] = "Zhuang", ["zh"] = "Chinese", ["zu"] = "Zulu",
    }.ToFrozenDictionary();

    public const int MaxFeePence = 50_000;
    public const int MinSessionMinutes = 20;
    public const int MaxSessionMinutes = 180;
    public const int MaxBiographyLength = 4_000;
}
