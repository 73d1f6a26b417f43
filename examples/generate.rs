//! A seeded, reproducible generator of demo portfolios.
//!
//! It tells a fictional but realistic story: the idea sluice (idésluss) of a Swedish
//! municipality from September 2016 to June 2020, with three coaches, three innovation
//! programs and cases from nine organisational units. The same seed and case count give
//! byte-identical output.
//!
//! ```text
//! cargo run --release --example generate -- [--cases N] [--seed S] [--out DIR] [--force]
//! ```
//!
//! Writes `DIR/sluss.toml`, `DIR/cases/<id>.toml` and the JSON Schemas in `DIR/schemas/`.
//! Every case is built as a `sluss::domain::Case`, rendered with
//! `CaseDocument::for_new_case`, parsed back with `sluss::storage::repo::parse_case` and
//! checked against the settings (its recorded state equals the replay of its history,
//! and every stage move met its gate). Six units' maturity self-assessments (2017 to
//! the spring of 2020) go to `DIR/maturity/`, each checked as `sluss check` would.
//! A regional partner network of 90 organisations that joined from 2017 on goes to
//! `DIR/network/`, the three programs' participants to `DIR/programs/`, and about a
//! third of the cases name partners (at registration, or in history when development
//! started); each file is checked as `sluss check` would. The network, the partners and
//! the participants have randomness of their own, so the cases are otherwise the same
//! as without them.

use std::collections::HashSet;
use std::fs;
use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::{Context as _, Result, bail, ensure};
use chrono::{DateTime, Datelike, Days, FixedOffset, NaiveDate, TimeZone, Weekday};
use clap::Parser;

use sluss::domain::id::new_id;
use sluss::domain::network::{Contact, Member, MemberKind};
use sluss::domain::participants::{Participant, ParticipantKind, ProgramParticipants};
use sluss::domain::{
    Case, Config, Description, HistoryEntry, Outcome, Person, Session, Status, gate, replay,
    validate,
};
use sluss::storage::CaseDocument;
use sluss::storage::repo::parse_case;

const TEMPLATE: &str = include_str!("../src/templates/sluss.sv.toml");

/// Generate a demo portfolio of an idea sluice (2016-09 to 2020-06).
#[derive(Debug, Parser)]
struct Args {
    /// How many cases to write.
    #[arg(long, default_value_t = 170)]
    cases: usize,
    /// The seed of all randomness: the same seed and count give the same bytes.
    #[arg(long, default_value_t = 2016)]
    seed: u64,
    /// The repository folder to write sluss.toml and cases/ into.
    #[arg(long, default_value = ".")]
    out: PathBuf,
    /// Remove existing cases/*.toml, network/*.toml, programs/*.toml (and overwrite
    /// sluss.toml) first.
    #[arg(long)]
    force: bool,
}

// ---------------------------------------------------------------------------------------
// The story's fixed facts
// ---------------------------------------------------------------------------------------

const PORTFOLIO_NAME: &str = "Idésluss Sundsvallsregionen";

const COACHES: [(&str, &str); 3] = [
    ("erik", "Erik Lind"),
    ("sara", "Sara Holm"),
    ("maria", "Maria Nyström"),
];
/// How cases are shared between the coaches (same order as `COACHES`).
const COACH_WEIGHTS: [u32; 3] = [36, 34, 30];
/// Maria coordinates the sluice: she registers and assigns most cases.
const COORDINATOR: &str = "maria";

struct ProgramDef {
    key: &'static str,
    name: &'static str,
    start: (i32, u32, u32),
    end: (i32, u32, u32),
}

const PROGRAMS: [ProgramDef; 3] = [
    ProgramDef {
        key: "ip2018",
        name: "Innovationsprogram 2018",
        start: (2018, 2, 1),
        end: (2018, 6, 30),
    },
    ProgramDef {
        key: "ip2019",
        name: "Innovationsprogram 2019",
        start: (2019, 2, 1),
        end: (2019, 6, 30),
    },
    ProgramDef {
        key: "ip2020",
        name: "Innovationsprogram 2020",
        start: (2020, 1, 15),
        end: (2020, 6, 15),
    },
];
/// Share of all cases that belong to each program (17 of 170).
const PROGRAM_SHARE: f64 = 0.10;

/// Pipeline indices (the template's stage order).
const INKOMMEN: usize = 0;
const PROVNING: usize = 1;
const UTFORSKA: usize = 2;
const UTVECKLA: usize = 3;
const TESTA: usize = 4;
const VERIFIERA: usize = 5;
const INFORA: usize = 6;
const STAGE_KEYS: [&str; 7] = [
    "inkommen",
    "provning",
    "utforska",
    "utveckla",
    "testa",
    "verifiera",
    "infora",
];

fn ymd(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("a valid date")
}

fn first_day() -> NaiveDate {
    ymd(2016, 9, 1)
}
fn last_created_day() -> NaiveDate {
    ymd(2020, 6, 15)
}
/// Nothing happens after this day.
fn end_day() -> NaiveDate {
    ymd(2020, 6, 30)
}
const STALE_AFTER_DAYS: i64 = 60;

// ---------------------------------------------------------------------------------------
// Text pools (Swedish)
// ---------------------------------------------------------------------------------------

struct Idea {
    title: &'static str,
    need: &'static str,
    idea: &'static str,
    tags: &'static [&'static str],
}

const fn idea(
    title: &'static str,
    need: &'static str,
    idea: &'static str,
    tags: &'static [&'static str],
) -> Idea {
    Idea {
        title,
        need,
        idea,
        tags,
    }
}

struct Unit {
    name: &'static str,
    weight: u32,
    /// Tags that cases from this unit often carry besides their idea's own.
    extra_tags: &'static [&'static str],
    ideas: &'static [Idea],
}

const UNITS: &[Unit] = &[
    Unit {
        name: "Socialtjänst",
        weight: 22,
        extra_tags: &["välfärd", "trygghet", "jämlikhet", "digitalisering"],
        ideas: &[
            idea(
                "Digital ansökan om försörjningsstöd",
                "Sökande lämnar pappersblanketter och får vänta länge på besked.",
                "En e-tjänst där ansökan och underlag lämnas digitalt och når handläggaren direkt.",
                &["digitalisering", "effektivisering"],
            ),
            idea(
                "Chatt med socialsekreterare för unga",
                "Unga som behöver stöd hör sällan av sig per telefon under kontorstid.",
                "En bemannad chatt på kvällstid där unga kan ställa frågor anonymt.",
                &["delaktighet", "trygghet"],
            ),
            idea(
                "Trygg hemgång för våldsutsatta",
                "Våldsutsatta som lämnar skyddat boende saknar stöd i övergången till eget boende.",
                "En kontaktperson och en checklista som följer personen de första tre månaderna.",
                &["trygghet", "välfärd"],
            ),
            idea(
                "Familjebehandling på distans",
                "Familjer på landsbygden reser långt till familjebehandlingen.",
                "Samtal via säker video för delar av behandlingen.",
                &["digitalisering", "välfärd"],
            ),
            idea(
                "Gemensam planering med skolan kring placerade barn",
                "Placerade barn byter skola och information om deras behov försvinner.",
                "En gemensam planeringsmall och ett fast möte mellan socialtjänst och skola.",
                &["skola", "välfärd"],
            ),
            idea(
                "Budgetrådgivning i grupp",
                "Hushåll med skulder kommer för sent till budget- och skuldrådgivningen.",
                "Öppna gruppträffar om hushållsekonomi på bibliotek och mötesplatser.",
                &["välfärd", "delaktighet"],
            ),
            idea(
                "Förenklad orosanmälan för skolpersonal",
                "Skolpersonal är osäker på hur en orosanmälan görs och drar sig för att anmäla.",
                "Ett webbformulär med vägledning och direkt kvittens till den som anmäler.",
                &["digitalisering", "trygghet"],
            ),
            idea(
                "Mjukvarurobot för utbetalningar",
                "Handläggare lägger mycket tid på manuella kontroller inför varje utbetalning.",
                "Automatisera de återkommande kontrollerna med en mjukvarurobot.",
                &["digitalisering", "effektivisering"],
            ),
        ],
    },
    Unit {
        name: "Vård och omsorg",
        weight: 24,
        extra_tags: &["välfärd", "hälsa", "arbetsmiljö", "trygghet"],
        ideas: &[
            idea(
                "Digital matsedel på äldreboenden",
                "Boende vet ofta inte vad som serveras och kan inte påverka sina val.",
                "Skärmar med bilder på dagens rätter och möjlighet att välja mellan två alternativ.",
                &["välfärd", "digitalisering", "delaktighet"],
            ),
            idea(
                "Sensorer för fallrisk",
                "Fall nattetid upptäcks sent på särskilda boenden.",
                "Sensorer vid sängen som larmar personalen när en boende med fallrisk reser sig.",
                &["trygghet", "hälsa", "digitalisering"],
            ),
            idea(
                "Digital tillsyn nattetid i hemtjänsten",
                "Nattliga tillsynsbesök väcker brukarna och tar mycket körtid.",
                "Tillsyn via kamera för de brukare som själva vill det.",
                &["digitalisering", "trygghet", "effektivisering"],
            ),
            idea(
                "Läkemedelsautomat i hemmet",
                "Hemtjänsten gör många korta besök enbart för att dela ut läkemedel.",
                "En läkemedelsautomat som påminner brukaren och delar ut rätt dos.",
                &["hälsa", "effektivisering"],
            ),
            idea(
                "Gemensam bilpool för hemtjänsten",
                "Hemtjänstgruppernas bilar står stilla stora delar av dagen.",
                "En gemensam, bokningsbar bilpool med elbilar.",
                &["miljö", "effektivisering"],
            ),
            idea(
                "Måltidsvänner för ensamma äldre",
                "Många äldre med hemtjänst äter ensamma och äter för lite.",
                "Volontärer som äter lunch tillsammans med en äldre en gång i veckan.",
                &["hälsa", "delaktighet"],
            ),
            idea(
                "Önskescheman i vård och omsorg",
                "Medarbetare har svårt att påverka sina scheman och sjukfrånvaron är hög.",
                "Ett digitalt verktyg där medarbetare lägger önskemål om pass.",
                &["arbetsmiljö", "digitalisering"],
            ),
            idea(
                "Videosamtal med anhöriga",
                "Boende med anhöriga på annan ort träffar dem sällan.",
                "Surfplattor med förenklat gränssnitt för videosamtal på varje avdelning.",
                &["välfärd", "digitalisering"],
            ),
            idea(
                "Digitala nycklar i hemtjänsten",
                "Hantering av fysiska nycklar tar tid och nycklar kommer bort.",
                "Digitala lås som personalen öppnar med mobilen och som loggar varje besök.",
                &["digitalisering", "trygghet", "effektivisering"],
            ),
        ],
    },
    Unit {
        name: "Barn och utbildning",
        weight: 12,
        extra_tags: &["skola", "jämlikhet", "delaktighet", "digitalisering"],
        ideas: &[
            idea(
                "Läxhjälp via chatt",
                "Elever som inte får hjälp hemma fastnar med läxorna på kvällarna.",
                "Lärarstudenter som svarar på frågor i en chatt på vardagskvällar.",
                &["skola", "digitalisering"],
            ),
            idea(
                "Digital frånvaroanmälan i förskolan",
                "Vårdnadshavare ringer in frånvaro och personalen missar meddelanden.",
                "Frånvaro anmäls i en app som uppdaterar närvarolistan direkt.",
                &["skola", "digitalisering", "effektivisering"],
            ),
            idea(
                "Utomhuspedagogik året runt",
                "Förskolegårdarna används lite under vinterhalvåret.",
                "Utrustning och lektionsupplägg för undervisning utomhus även vintertid.",
                &["skola", "hälsa"],
            ),
            idea(
                "Skolskjuts med realtidsinformation",
                "Elever och vårdnadshavare vet inte när skolskjutsen är försenad.",
                "Ett sms till vårdnadshavare när skolskjutsen är mer än tio minuter sen.",
                &["skola", "trygghet"],
            ),
            idea(
                "Bildstöd för nyanlända elever",
                "Nyanlända elever har svårt att följa undervisningen de första månaderna.",
                "Bildstöd och ordlistor på modersmål i alla klassrum.",
                &["skola", "delaktighet"],
            ),
            idea(
                "Minskat matsvinn i skolrestaurangen",
                "Stora mängder mat slängs i skolrestaurangerna varje dag.",
                "Eleverna väger svinnet dagligen och ser resultatet på en skärm.",
                &["miljö", "skola"],
            ),
            idea(
                "Rörelsepauser i klassrummet",
                "Elever sitter still stora delar av skoldagen och tappar koncentrationen.",
                "Korta guidade rörelsepauser med film två gånger om dagen.",
                &["hälsa", "skola"],
            ),
        ],
    },
    Unit {
        name: "Kultur och fritid",
        weight: 8,
        extra_tags: &["delaktighet", "jämlikhet", "hälsa"],
        ideas: &[
            idea(
                "Meröppet bibliotek på landsbygden",
                "Biblioteksfilialerna på landsbygden har korta öppettider.",
                "Tillträde med lånekort och kod även när ingen personal är på plats.",
                &["delaktighet", "digitalisering"],
            ),
            idea(
                "Digital bokning av idrottshallar",
                "Föreningar bokar hallar via mejl och telefon och dubbelbokningar uppstår.",
                "En bokningstjänst på webben som visar lediga tider i realtid.",
                &["digitalisering", "effektivisering"],
            ),
            idea(
                "Fritidsbank för sportutrustning",
                "Barn i familjer med små marginaler har inte råd med sportutrustning.",
                "En fritidsbank där utrustning lånas gratis, som på ett bibliotek.",
                &["delaktighet", "hälsa", "miljö"],
            ),
            idea(
                "Mobila sommarlovsaktiviteter",
                "Unga i ytterområden har få aktiviteter under sommarlovet.",
                "Aktiviteter som åker ut till bostadsområdena med en ombyggd buss.",
                &["delaktighet", "trygghet"],
            ),
            idea(
                "Kulturkort för unga",
                "Unga mellan 13 och 19 år besöker sällan kommunens kulturutbud.",
                "Ett kort med fritt inträde och rabatter som delas ut i skolan.",
                &["delaktighet", "jämlikhet"],
            ),
            idea(
                "Bokstart med hembesök",
                "Barn i vissa områden möter böcker sent.",
                "Bibliotekarier gör hembesök med en bokpåse hos familjer med små barn.",
                &["skola", "jämlikhet"],
            ),
            idea(
                "Belysta ytor för spontanidrott",
                "Spontanidrottsplatserna används inte efter mörkrets inbrott.",
                "Belysning som tänds med en knapp och släcks automatiskt.",
                &["hälsa", "trygghet"],
            ),
        ],
    },
    Unit {
        name: "Stadsbyggnad",
        weight: 7,
        extra_tags: &["miljö", "delaktighet", "effektivisering"],
        ideas: &[
            idea(
                "Förenklad bygglovsansökan",
                "Många bygglovsansökningar är ofullständiga och måste kompletteras.",
                "En e-tjänst som guidar den sökande och kontrollerar att alla handlingar finns.",
                &["digitalisering", "effektivisering"],
            ),
            idea(
                "3D-modell för medborgardialog",
                "Invånare har svårt att förstå hur nya detaljplaner påverkar stadsbilden.",
                "En 3D-modell på webben där planförslag kan ses från gatunivå.",
                &["delaktighet", "digitalisering"],
            ),
            idea(
                "Trygghetsvandringar med app",
                "Synpunkter från trygghetsvandringar skrivs på papper och försvinner.",
                "En app där brister markeras på en karta med foto under vandringen.",
                &["trygghet", "delaktighet"],
            ),
            idea(
                "Bygglovschatt",
                "Handläggarnas telefontid räcker inte till för alla frågor om bygglov.",
                "En chatt med vanliga frågor och svar och möjlighet att boka rådgivning.",
                &["digitalisering", "effektivisering"],
            ),
            idea(
                "Grönytefaktor i detaljplaner",
                "Nya områden byggs med allt mindre grönska.",
                "Ett enkelt verktyg för att räkna grönytefaktor i planarbetet.",
                &["miljö"],
            ),
            idea(
                "Digitala detaljplaner",
                "Detaljplanerna finns bara som inskannade PDF-filer och är svåra att söka i.",
                "Nya planer tas fram som strukturerade data enligt den nationella standarden.",
                &["digitalisering"],
            ),
            idea(
                "Ungdomsråd i stadsplaneringen",
                "Unga kommer sällan till tals i planprocessen.",
                "Ett ungdomsråd som bjuds in i tidiga skeden av större planer.",
                &["delaktighet"],
            ),
        ],
    },
    Unit {
        name: "Miljö och hälsa",
        weight: 6,
        extra_tags: &["miljö", "hälsa", "digitalisering"],
        ideas: &[
            idea(
                "Digital tillsynsrapport",
                "Tillsynsrapporter skrivs efter besöket och skickas först veckor senare.",
                "Rapporten skrivs i en surfplatta på plats och skickas samma dag.",
                &["digitalisering", "effektivisering"],
            ),
            idea(
                "Luftkvalitet i realtid",
                "Invånare med astma vet inte när luftkvaliteten i centrum är dålig.",
                "Sensorer och en karta som visar luftkvaliteten i realtid.",
                &["miljö", "hälsa", "digitalisering"],
            ),
            idea(
                "E-tjänst för enskilt avlopp",
                "Ansökningar om enskilt avlopp saknar ofta uppgifter.",
                "En e-tjänst med kartunderlag och exempel på godkända lösningar.",
                &["digitalisering", "miljö"],
            ),
            idea(
                "Kemikaliesmart förskola",
                "Förskolor har gammalt material och leksaker med skadliga ämnen.",
                "En inventeringsmall och stöd att byta ut det farligaste först.",
                &["miljö", "hälsa", "skola"],
            ),
            idea(
                "Riskbaserad tillsyn",
                "Tillsynsbesöken fördelas jämnt trots att riskerna skiljer sig mycket.",
                "Besöken prioriteras utifrån tidigare avvikelser och verksamhetstyp.",
                &["effektivisering"],
            ),
            idea(
                "Lånebara bullermätare",
                "Klagomål på buller är svåra att bedöma utan mätdata.",
                "Bullermätare att låna och en gemensam karta över mätningarna.",
                &["miljö", "delaktighet"],
            ),
            idea(
                "Råd om matsvinn vid livsmedelskontroll",
                "Restauranger slänger mycket mat men får sällan råd om hur det kan minska.",
                "Inspektörerna lämnar enkla råd om minskat svinn vid kontrollbesöket.",
                &["miljö"],
            ),
        ],
    },
    Unit {
        name: "Kommunstyrelsekontoret",
        weight: 8,
        extra_tags: &["effektivisering", "digitalisering", "delaktighet"],
        ideas: &[
            idea(
                "E-signering av avtal",
                "Avtal skickas runt på papper för underskrift och det tar veckor.",
                "En gemensam e-signeringstjänst för alla förvaltningar.",
                &["digitalisering", "effektivisering"],
            ),
            idea(
                "Medborgarbudget",
                "Invånare känner liten delaktighet i hur pengar används i deras område.",
                "Invånarna föreslår och röstar om hur en del av budgeten används.",
                &["delaktighet"],
            ),
            idea(
                "Digital introduktion för nyanställda",
                "Nyanställda får olika introduktion beroende på förvaltning.",
                "En gemensam digital introduktion med filmer och checklistor.",
                &["digitalisering", "arbetsmiljö"],
            ),
            idea(
                "Klarspråk i beslutsbrev",
                "Invånare förstår inte kommunens beslutsbrev och ringer för att fråga.",
                "Mallar och utbildning i klarspråk för alla handläggare.",
                &["delaktighet", "effektivisering"],
            ),
            idea(
                "Öppna data om kommunens service",
                "Företag och invånare efterfrågar data som kommunen redan har.",
                "Utvalda datamängder publiceras som öppna data.",
                &["digitalisering"],
            ),
            idea(
                "Digitala nämndhandlingar",
                "Nämndhandlingar skrivs ut och skickas med post till ledamöterna.",
                "Handlingarna i en app för surfplatta med möjlighet till anteckningar.",
                &["digitalisering", "miljö"],
            ),
            idea(
                "Kontaktcenter med en väg in",
                "Invånare kopplas runt mellan förvaltningar när de ringer kommunen.",
                "Ett gemensamt kontaktcenter som löser de vanligaste ärendena direkt.",
                &["effektivisering"],
            ),
        ],
    },
    Unit {
        name: "Service och teknik",
        weight: 8,
        extra_tags: &["miljö", "effektivisering", "trygghet"],
        ideas: &[
            idea(
                "Sensorer i papperskorgar",
                "Papperskorgarna töms enligt schema oavsett hur fulla de är.",
                "Nivåsensorer som visar vilka korgar som behöver tömmas.",
                &["miljö", "effektivisering", "digitalisering"],
            ),
            idea(
                "Felanmälan med foto i app",
                "Felanmälningar om gator och parker saknar ofta exakt plats.",
                "En app där invånaren tar en bild och platsen följer med automatiskt.",
                &["digitalisering", "delaktighet"],
            ),
            idea(
                "Snöröjning i realtid på karta",
                "Invånare ringer för att fråga när deras gata ska plogas.",
                "En karta som visar var plogbilarna har varit och vart de är på väg.",
                &["digitalisering", "trygghet"],
            ),
            idea(
                "Klimatsmart skolmat",
                "Skolmaten har stor klimatpåverkan.",
                "En extra vegetarisk dag i veckan och en klimatmärkt matsedel.",
                &["miljö", "hälsa"],
            ),
            idea(
                "Elcyklar för tjänsteresor",
                "Korta tjänsteresor i centrum görs med bil.",
                "Bokningsbara elcyklar vid kommunhuset.",
                &["miljö", "hälsa"],
            ),
            idea(
                "Smart belysning på gång- och cykelvägar",
                "Gatubelysningen lyser med full styrka hela natten.",
                "Belysning som dimras och lyser upp när någon närmar sig.",
                &["miljö", "trygghet"],
            ),
            idea(
                "Återbruk av kontorsmöbler",
                "Fungerande möbler slängs när verksamheter flyttar.",
                "En intern sajt där möbler annonseras och återbrukas.",
                &["miljö", "effektivisering"],
            ),
        ],
    },
    Unit {
        name: "Arbetsmarknad",
        weight: 5,
        extra_tags: &["delaktighet", "jämlikhet", "välfärd"],
        ideas: &[
            idea(
                "Digital matchning av praktikplatser",
                "Praktikplatser förmedlas via personliga kontakter och många företag nås inte.",
                "En tjänst där arbetsgivare lägger upp praktikplatser som handledare matchar.",
                &["digitalisering", "delaktighet"],
            ),
            idea(
                "Språkpraktik i kommunens verksamheter",
                "Nyanlända får sällan öva svenska i en arbetsmiljö.",
                "Språkpraktik med språkombud i vård och omsorg och i serviceverksamheten.",
                &["delaktighet", "jämlikhet"],
            ),
            idea(
                "Körkortsstöd för arbetssökande",
                "Att sakna körkort stänger ute många arbetssökande från jobb.",
                "Teorilektioner och stöd till körkort kopplat till en plan mot arbete.",
                &["delaktighet", "jämlikhet"],
            ),
            idea(
                "Jobbcoachning via video",
                "Deltagare på landsbygden har långt till arbetsmarknadsenheten.",
                "Coachningssamtal via video varannan vecka.",
                &["digitalisering"],
            ),
            idea(
                "Sommarjobbare som digitala guider",
                "Äldre behöver hjälp att använda digitala tjänster.",
                "Feriearbetande unga hjälper äldre med mobil och surfplatta på träffpunkter.",
                &["delaktighet", "digitalisering", "välfärd"],
            ),
            idea(
                "Kompetenskartläggning med bildstöd",
                "Arbetssökandes yrkeskunskaper kartläggs inte innan de får en placering.",
                "Ett bildbaserat kartläggningsverktyg på flera språk.",
                &["digitalisering", "jämlikhet"],
            ),
            idea(
                "Gröna jobb i parkskötseln",
                "Långtidsarbetslösa saknar vägar in på arbetsmarknaden.",
                "Arbetslag som sköter parker och grönytor med handledning.",
                &["miljö", "delaktighet"],
            ),
        ],
    },
];

/// Appended to some titles so that the same idea from two places reads differently.
const TITLE_SUFFIXES: &[&str] = &[
    " – pilot i Njurunda",
    " – pilot på Alnö",
    " – pilot i Matfors",
    " – pilot i Stöde",
    " i centrala Sundsvall",
    " – förstudie",
    " – steg 2",
    " för fler enheter",
];

const FIRST_NAMES: &[&str] = &[
    "Anna", "Eva", "Maria", "Karin", "Sara", "Lena", "Kerstin", "Emma", "Ingrid", "Malin",
    "Johanna", "Linnea", "Elin", "Camilla", "Helena", "Lars", "Anders", "Johan", "Per", "Mikael",
    "Karl", "Peter", "Thomas", "Jonas", "Fredrik", "Daniel", "Magnus", "Mattias", "Ali", "Amira",
    "Hassan", "Leyla", "Niklas", "Sofia", "Oskar", "Ida",
];

const LAST_NAMES: &[&str] = &[
    "Andersson",
    "Johansson",
    "Karlsson",
    "Nilsson",
    "Eriksson",
    "Larsson",
    "Olsson",
    "Persson",
    "Svensson",
    "Gustafsson",
    "Pettersson",
    "Jonsson",
    "Berg",
    "Sjöberg",
    "Lindqvist",
    "Engström",
    "Hedlund",
    "Sundberg",
    "Norberg",
    "Åström",
    "Öberg",
    "Wikström",
    "Bergström",
    "Forsberg",
    "Lundgren",
    "Högberg",
    "Nordin",
    "Ahmadi",
    "Mohammed",
    "Holmgren",
];

/// Notes on moves, by the stage moved to.
const MOVE_NOTES: [&[&str]; 7] = [
    &[],
    &[
        "Registrerad och tilldelad coach",
        "Första kontakt med idégivaren",
        "Kompletterande uppgifter har kommit in",
    ],
    &[
        "Ligger inom kommunens uppdrag",
        "Förvaltningsledningen vill att behovet utforskas",
        "Prövad mot verksamhetsplanen, går vidare",
    ],
    &[
        "Behovet bekräftat med tre enhetschefer",
        "Intervjuer med brukare visar ett tydligt behov",
        "Behovet bekräftat i workshop med medarbetare",
        "Omvärldsbevakning klar, inget färdigt finns att köpa",
    ],
    &[
        "Testplan godkänd av enhetschef",
        "Prototyp klar för test",
        "Testplan och mätetal framtagna med verksamheten",
    ],
    &[
        "Testet genomfört på två enheter",
        "Testperioden avslutad, utvärdering påbörjad",
        "Test genomfört, data sammanställs",
    ],
    &[
        "Beslut i ledningsgruppen att införa",
        "Förvaltningschefen har beslutat om införande",
        "Budget för drift säkrad",
    ],
];

fn outcome_notes(outcome: Outcome) -> &'static [&'static str] {
    match outcome {
        Outcome::Implemented => &[
            "Införd i ordinarie verksamhet",
            "Ingår nu i driften",
            "Införandet klart, uppföljning om ett år",
        ],
        Outcome::HandedOver => &[
            "Överlämnad till linjeverksamheten",
            "Överlämnad till IT-avdelningen",
            "Drivs vidare av förvaltningens utvecklingsenhet",
        ],
        Outcome::Stopped => &[
            "Behovet kunde inte bekräftas",
            "Ryms inte inom budget",
            "Idégivaren har slutat och ingen driver frågan",
            "Befintlig lösning täcker behovet",
            "Testet gav inte önskad effekt",
        ],
        Outcome::Duplicate => &[
            "Dubblett av pågående ärende",
            "Samma idé finns redan i slussen",
        ],
        Outcome::Referred => &[
            "Hänvisad till Region Västernorrland",
            "Hänvisad till ordinarie felanmälan",
            "Hör hemma i synpunktshanteringen",
        ],
    }
}

const PARK_NOTES: &[&str] = &[
    "Parkeras i väntan på budgetbeslut",
    "Pausad under omorganisationen",
    "Verksamheten har inte tid just nu",
    "Idégivaren är föräldraledig",
];
const REOPEN_NOTES: &[&str] = &[
    "Återupptas efter budgetbeslut",
    "Tas upp igen på idégivarens begäran",
    "Verksamheten är redo att fortsätta",
];
const REASSIGN_NOTES: &[&str] = &[
    "Omfördelning av ärenden",
    "Bättre matchning mot verksamhetsområdet",
    "Coachen är föräldraledig",
];

/// What coaching looks like in each stage: (kind, note) pairs.
const SESSIONS_BY_STAGE: [&[(&str, &str)]; 7] = [
    &[
        ("telefon", "Första samtal med idégivaren"),
        ("möte", "Genomgång av idén med idégivaren"),
    ],
    &[
        ("möte", "Genomgång av idén med idégivaren"),
        ("möte", "Avstämning med enhetschef om uppdraget"),
        ("telefon", "Kompletterande frågor till idégivaren"),
    ],
    &[
        ("workshop", "Behovsworkshop med medarbetare"),
        ("workshop", "Kartläggning av nuläget"),
        ("möte", "Intervjuer med brukare"),
        ("möte", "Samtal med grannkommun om deras erfarenheter"),
        ("telefon", "Avstämning med idégivaren"),
    ],
    &[
        ("workshop", "Idéworkshop med brukare och personal"),
        ("workshop", "Prototypworkshop"),
        ("möte", "Genomgång av testplanen"),
        ("möte", "Möte med IT-avdelningen"),
        ("telefon", "Avstämning med leverantör"),
    ],
    &[
        ("test", "Testtillfälle på enheten"),
        ("test", "Observation under testet"),
        ("test", "Test med fem brukare"),
        ("uppföljning", "Halvtidsavstämning av testet"),
        ("möte", "Avstämning med testgruppen"),
    ],
    &[
        ("uppföljning", "Genomgång av testresultaten"),
        ("uppföljning", "Utvärdering med enhetschef"),
        ("möte", "Beslutsunderlag till ledningsgruppen"),
    ],
    &[
        ("möte", "Planering av införandet"),
        ("möte", "Överlämning till förvaltningen"),
        ("uppföljning", "Uppföljning efter införandet"),
    ],
];

/// Next steps agreed at a session, by stage.
const NEXT_STEPS_BY_STAGE: [&[&str]; 7] = [
    &["Stämma av med enhetschef", "Boka uppföljningsmöte"],
    &[
        "Stämma av med enhetschef",
        "Skicka kompletterande frågor",
        "Boka uppföljningsmöte",
    ],
    &[
        "Boka workshop med medarbetare",
        "Intervjua brukare",
        "Sammanställa intervjuerna",
        "Omvärldsbevaka",
    ],
    &[
        "Ta fram testplan",
        "Ta fram prototyp",
        "Kontakta IT-avdelningen",
        "Kontakta upphandlingsenheten",
    ],
    &[
        "Samla in mätdata",
        "Sammanställa testresultaten",
        "Boka uppföljningsmöte",
    ],
    &[
        "Skriva beslutsunderlag",
        "Ta fram kostnadsberäkning",
        "Presentera i ledningsgruppen",
    ],
    &[
        "Ta fram rutin",
        "Utbilda personalen",
        "Boka uppföljning om sex månader",
    ],
];

fn session_minutes(kind: &str) -> &'static [u32] {
    match kind {
        "workshop" => &[90, 120, 120],
        "telefon" => &[30, 30, 45],
        "test" => &[60, 90, 120],
        "uppföljning" => &[30, 45, 60],
        _ => &[45, 60, 60, 90],
    }
}

// ---------------------------------------------------------------------------------------
// Randomness helpers
// ---------------------------------------------------------------------------------------

fn pick<'a, T>(rng: &mut fastrand::Rng, items: &'a [T]) -> &'a T {
    &items[rng.usize(..items.len())]
}

fn pick_weighted(rng: &mut fastrand::Rng, weights: &[u32]) -> usize {
    let total: u32 = weights.iter().sum();
    let mut r = rng.u32(..total);
    for (i, w) in weights.iter().enumerate() {
        if r < *w {
            return i;
        }
        r -= w;
    }
    unreachable!("r < total")
}

fn chance(rng: &mut fastrand::Rng, p: f64) -> bool {
    rng.f64() < p
}

/// A count with the given mean: its whole part plus one more with its fraction's chance.
fn count_with_mean(rng: &mut fastrand::Rng, mean: f64) -> usize {
    let whole = mean.floor();
    whole as usize + usize::from(chance(rng, mean - whole))
}

/// Days between `lo` and `hi`, skewed towards the short end (most things go quickly,
/// some take long).
fn skewed_days(rng: &mut fastrand::Rng, lo: u32, hi: u32) -> u64 {
    let u = rng.f64();
    u64::from(lo) + (f64::from(hi - lo) * u * u).round() as u64
}

// ---------------------------------------------------------------------------------------
// Dates and times
// ---------------------------------------------------------------------------------------

fn last_sunday(year: i32, month: u32) -> NaiveDate {
    let mut d = ymd(year, month + 1, 1) - Days::new(1);
    while d.weekday() != Weekday::Sun {
        d = d - Days::new(1);
    }
    d
}

/// Swedish time: +02:00 from the last Sunday of March to the last Sunday of October.
fn offset_on(day: NaiveDate) -> FixedOffset {
    let summer = day >= last_sunday(day.year(), 3) && day < last_sunday(day.year(), 10);
    FixedOffset::east_opt(if summer { 2 * 3600 } else { 3600 }).expect("a valid offset")
}

/// The next working day on or after `day`.
fn workday(day: NaiveDate) -> NaiveDate {
    match day.weekday() {
        Weekday::Sat => day + Days::new(2),
        Weekday::Sun => day + Days::new(1),
        _ => day,
    }
}

/// A random office-hours instant on `day`, in Swedish time.
fn office_time(rng: &mut fastrand::Rng, day: NaiveDate) -> DateTime<FixedOffset> {
    let naive = day
        .and_hms_opt(rng.u32(8..16), rng.u32(0..60), rng.u32(0..60))
        .expect("a valid time");
    offset_on(day)
        .from_local_datetime(&naive)
        .single()
        .expect("a fixed offset has one reading")
}

fn days_between(a: NaiveDate, b: NaiveDate) -> u64 {
    (b - a).num_days().max(0) as u64
}

/// How likely an idea comes in on `day`: more as the sluice becomes known, fewer in July
/// and around Christmas, hardly any at weekends.
fn created_weight(day: NaiveDate) -> f64 {
    let span = days_between(first_day(), last_created_day()) as f64;
    let growth = 0.2 + 0.8 * (days_between(first_day(), day) as f64 / span);
    let season = match day.month() {
        7 => 0.25,
        8 | 12 => 0.7,
        _ => 1.0,
    };
    let weekday = if matches!(day.weekday(), Weekday::Sat | Weekday::Sun) {
        0.05
    } else {
        1.0
    };
    growth * season * weekday
}

/// The created days of `count` cases outside the programs, stratified: the k-th case
/// falls in the k-th slice of the distribution, so that a small portfolio has the same
/// shape over the years as a large one.
fn created_days(rng: &mut fastrand::Rng, count: usize) -> Vec<NaiveDate> {
    let span = days_between(first_day(), last_created_day());
    let mut cumulative = Vec::with_capacity(span as usize + 1);
    let mut total = 0.0;
    for offset in 0..=span {
        total += created_weight(first_day() + Days::new(offset));
        cumulative.push(total);
    }
    (0..count)
        .map(|k| {
            let u = (k as f64 + rng.f64()) / count as f64 * total;
            let offset = cumulative.partition_point(|&c| c <= u).min(span as usize);
            first_day() + Days::new(offset as u64)
        })
        .collect()
}

// ---------------------------------------------------------------------------------------
// The life of one case
// ---------------------------------------------------------------------------------------

#[derive(Debug, Clone, Copy, PartialEq)]
enum Action {
    Advance,
    Close(Outcome),
    Park,
    /// Nothing more happens: the case is forgotten while open.
    Stall,
}

/// What happens at the end of a stage: weights for advance, the closing outcomes,
/// park and stall.
fn choose_action(rng: &mut fastrand::Rng, stage: usize, program: bool, reopened: bool) -> Action {
    use Action::*;
    use Outcome::*;
    let options: &[(Action, u32)] = match stage {
        INKOMMEN => &[
            (Advance, 84),
            (Close(Duplicate), 7),
            (Close(Referred), 4),
            (Close(Stopped), 2),
            (Stall, 1),
        ],
        PROVNING => &[
            (Advance, 77),
            (Close(Stopped), 10),
            (Close(Referred), 3),
            (Close(Duplicate), 2),
            (Park, 7),
            (Stall, 1),
        ],
        UTFORSKA => &[
            (Advance, 77),
            (Close(Stopped), 9),
            (Close(HandedOver), 4),
            (Park, 11),
            (Stall, 1),
        ],
        UTVECKLA => &[
            (Advance, 79),
            (Close(Stopped), 6),
            (Close(HandedOver), 7),
            (Park, 9),
            (Stall, 1),
        ],
        TESTA => &[
            (Advance, 82),
            (Close(Stopped), 7),
            (Close(HandedOver), 6),
            (Park, 6),
            (Stall, 1),
        ],
        VERIFIERA => &[(Advance, 76), (Close(HandedOver), 14), (Close(Stopped), 10)],
        _ => &[(Close(Implemented), 1)],
    };
    let weights: Vec<u32> = options
        .iter()
        .map(|&(action, w)| match action {
            Advance if program && stage < INFORA => w + 12,
            Park | Stall if reopened => 0,
            Stall if program => 0,
            _ => w,
        })
        .collect();
    options[pick_weighted(rng, &weights)].0
}

/// How long a case stays in `stage` before `action` (days).
/// `pace` stretches the case's whole life: some ideas move quickly, others wait for
/// budgets, managers and suppliers.
fn dwell_days(rng: &mut fastrand::Rng, stage: usize, action: Action, pace: f64) -> u64 {
    let (lo, hi) = match (stage, action) {
        (INKOMMEN | PROVNING, Action::Close(Outcome::Duplicate | Outcome::Referred)) => (1, 14),
        (INKOMMEN, _) => (2, 25),
        (PROVNING, _) => (10, 60),
        (UTFORSKA, _) => (30, 170),
        (UTVECKLA, _) => (30, 150),
        (TESTA, _) => (45, 180),
        (VERIFIERA, _) => (20, 110),
        _ => (60, 240),
    };
    let days = skewed_days(rng, lo, hi) as f64 * pace;
    (days.round() as u64).max(1)
}

/// Expected coaching sessions while a case spends `days` in `stage`: a few at the
/// start, then about one every month or two while the work goes on.
fn sessions_mean(stage: usize, days: u64, program: bool) -> f64 {
    let base = [0.05, 0.2, 0.4, 0.4, 0.5, 0.3, 0.2][stage];
    let every = [f64::INFINITY, 90.0, 80.0, 80.0, 60.0, 100.0, 180.0][stage];
    let mean = base + days as f64 / every;
    if program { mean * 1.4 } else { mean }
}

/// At most this many sessions are kept per case (files stay small).
const MAX_SESSIONS: usize = 8;

/// Keeps at most `MAX_SESSIONS` sessions, evenly spread over the case's life. The first
/// and the last stay, so every gate that a session opened stays open and the last
/// activity does not move.
fn thin_sessions(sessions: Vec<Session>) -> Vec<Session> {
    let n = sessions.len();
    if n <= MAX_SESSIONS {
        return sessions;
    }
    let keep: Vec<usize> = (0..MAX_SESSIONS)
        .map(|i| (i * (n - 1) + (MAX_SESSIONS - 1) / 2) / (MAX_SESSIONS - 1))
        .collect();
    sessions
        .into_iter()
        .enumerate()
        .filter(|(i, _)| keep.contains(i))
        .map(|(_, s)| s)
        .collect()
}

/// A case's history and sessions as they are built, in time order.
struct Life<'r> {
    rng: &'r mut fastrand::Rng,
    created: DateTime<FixedOffset>,
    program: bool,
    pace: f64,
    history: Vec<HistoryEntry>,
    sessions: Vec<Session>,
    last: DateTime<FixedOffset>,
    stage: usize,
    status: Status,
    outcome: Option<Outcome>,
    coach: Option<String>,
    /// Set when the next event would fall after the end of the story.
    cut: bool,
}

enum InStage {
    Session,
    Reassign,
}

impl<'r> Life<'r> {
    fn new(rng: &'r mut fastrand::Rng, created: DateTime<FixedOffset>, program: bool) -> Self {
        // Program cohorts get intensive coaching and move faster.
        let pace = if program { 0.6 } else { 0.9 + 1.2 * rng.f64() };
        Life {
            rng,
            created,
            program,
            pace,
            history: Vec::new(),
            sessions: Vec::new(),
            last: created,
            stage: INKOMMEN,
            status: Status::Open,
            outcome: None,
            coach: None,
            cut: false,
        }
    }

    fn random_coach(&mut self) -> String {
        COACHES[pick_weighted(self.rng, &COACH_WEIGHTS)]
            .0
            .to_string()
    }

    /// Who acts on the case: its coach, or the coordinator before one is assigned.
    fn actor(&self) -> String {
        self.coach
            .clone()
            .unwrap_or_else(|| COORDINATOR.to_string())
    }

    fn maybe_note(&mut self, p: f64, pool: &[&str]) -> Option<String> {
        (!pool.is_empty() && chance(self.rng, p)).then(|| pick(self.rng, pool).to_string())
    }

    /// Appends a history entry on `day`, strictly after the previous one; refuses (and
    /// marks the life as cut) when that would be after the end of the story.
    fn push(&mut self, day: NaiveDate, mut entry: HistoryEntry) -> bool {
        if self.cut {
            return false;
        }
        let mut at = office_time(self.rng, day);
        if at <= self.last {
            at = self.last + chrono::Duration::minutes(self.rng.i64(5..90));
        }
        if at.date_naive() > end_day() {
            self.cut = true;
            return false;
        }
        entry.at = at;
        if let Some(to) = &entry.to {
            self.stage = STAGE_KEYS.iter().position(|k| k == to).expect("a stage");
        }
        if let Some(status) = entry.status {
            self.status = status;
            self.outcome = entry.outcome;
        }
        if let Some(coach) = &entry.coach {
            self.coach = Some(coach.clone());
        }
        self.last = at;
        self.history.push(entry);
        true
    }

    fn entry(&self) -> HistoryEntry {
        HistoryEntry {
            at: self.created,
            by: self.actor(),
            ..HistoryEntry::default()
        }
    }

    fn assign(&mut self, day: NaiveDate, coach: String, by: String, note: Option<String>) -> bool {
        let entry = HistoryEntry {
            by,
            previous_coach: Some(self.coach.clone().unwrap_or_default()),
            coach: Some(coach),
            note,
            ..self.entry()
        };
        self.push(day, entry)
    }

    fn set_status(&mut self, day: NaiveDate, status: Status, outcome: Option<Outcome>) -> bool {
        let pool = match (status, outcome) {
            (Status::Closed, Some(o)) => outcome_notes(o),
            (Status::Parked, _) => PARK_NOTES,
            _ => REOPEN_NOTES,
        };
        let note = self.maybe_note(0.5, pool);
        let entry = HistoryEntry {
            status: Some(status),
            outcome,
            note,
            ..self.entry()
        };
        self.push(day, entry)
    }

    fn advance(&mut self, day: NaiveDate) -> bool {
        let to = self.stage + 1;
        let note = self.maybe_note(0.35, MOVE_NOTES[to]);
        let entry = HistoryEntry {
            from: Some(STAGE_KEYS[self.stage].to_string()),
            to: Some(STAGE_KEYS[to].to_string()),
            note,
            ..self.entry()
        };
        self.push(day, entry)
    }

    /// Logs a session on `day` unless that is after the end of the story.
    fn session(&mut self, day: NaiveDate) -> bool {
        if day > end_day() {
            self.cut = true;
            return false;
        }
        let Some(mut coach) = self.coach.clone() else {
            return true;
        };
        // Now and then a colleague stands in or co-leads.
        if chance(self.rng, 0.08) {
            coach = self.random_coach();
        }
        let (kind, note) = *pick(self.rng, SESSIONS_BY_STAGE[self.stage]);
        let minutes = *pick(self.rng, session_minutes(kind));
        let notes = chance(self.rng, 0.6).then(|| note.to_string());
        let mut next_steps = Vec::new();
        if chance(self.rng, 0.2) {
            for _ in 0..self.rng.usize(1..=2) {
                let step = pick(self.rng, NEXT_STEPS_BY_STAGE[self.stage]).to_string();
                if !next_steps.contains(&step) {
                    next_steps.push(step);
                }
            }
        }
        self.sessions.push(Session {
            date: day,
            coach,
            minutes,
            kind: Some(kind.to_string()),
            notes,
            next_steps: next_steps
                .into_iter()
                .map(sluss::domain::NextStep::new)
                .collect(),
        });
        true
    }

    /// Sessions (and perhaps a change of coach) on days in `from..until`, in order.
    fn in_stage(&mut self, from: NaiveDate, until: NaiveDate, mean: f64, reassign: bool) -> bool {
        let span = days_between(from, until);
        let mut points: Vec<(NaiveDate, InStage)> = Vec::new();
        if span > 0 {
            for _ in 0..count_with_mean(self.rng, mean) {
                let day = workday(from + Days::new(self.rng.u64(..span)));
                points.push((day.min(until), InStage::Session));
            }
            if reassign {
                let day = workday(from + Days::new(self.rng.u64(..span)));
                points.push((day.min(until), InStage::Reassign));
            }
        }
        points.sort_by_key(|(day, _)| *day);
        for (day, point) in points {
            let ok = match point {
                InStage::Session => self.session(day),
                InStage::Reassign => {
                    let current = self.coach.clone();
                    let mut coach = self.random_coach();
                    while Some(&coach) == current.as_ref() {
                        coach = self.random_coach();
                    }
                    let by = if chance(self.rng, 0.5) {
                        COORDINATOR.to_string()
                    } else {
                        self.actor()
                    };
                    let note = self.maybe_note(0.5, REASSIGN_NOTES);
                    self.assign(day, coach, by, note)
                }
            };
            if !ok {
                return false;
            }
        }
        true
    }

    /// Lives the case from its creation until it ends, stalls or the story ends.
    fn live(&mut self) {
        let mut enter = self.created.date_naive();
        let mut reopened = false;
        loop {
            let stage = self.stage;
            let action = choose_action(self.rng, stage, self.program, reopened);
            let dwell = dwell_days(self.rng, stage, action, self.pace);
            let leave = workday(enter + Days::new(dwell));
            let mut from = enter;

            if stage == INKOMMEN && self.coach.is_none() {
                let early_close = matches!(
                    action,
                    Action::Close(Outcome::Duplicate | Outcome::Referred)
                );
                if !early_close || chance(self.rng, 0.3) {
                    let days = self.rng.u64(..=dwell.min(6));
                    let day = workday(enter + Days::new(days)).min(leave);
                    let coach = self.random_coach();
                    let by = if chance(self.rng, 0.75) {
                        COORDINATOR.to_string()
                    } else {
                        coach.clone()
                    };
                    if !self.assign(day, coach, by, None) {
                        return;
                    }
                    from = day;
                }
            }

            let (until, mean) = match action {
                // A forgotten case gets a session or so early, then nothing.
                Action::Stall => (from + Days::new(30), sessions_mean(stage, 0, self.program)),
                _ => (
                    leave,
                    sessions_mean(stage, days_between(from, leave), self.program),
                ),
            };
            let reassign = stage > INKOMMEN && self.coach.is_some() && chance(self.rng, 0.04);
            if !self.in_stage(from, until, mean, reassign) {
                return;
            }

            match action {
                Action::Stall => return,
                Action::Advance => {
                    // The gate of Testa needs a logged session: the test plan was made
                    // together with the coach.
                    if stage + 1 == TESTA && !self.sessions.iter().any(|s| s.date < leave) {
                        let days = self.rng.u64(..days_between(from, leave).max(1));
                        if !self.session(workday(from + Days::new(days)).min(leave)) {
                            return;
                        }
                        self.sessions.sort_by_key(|s| s.date);
                    }
                    if !self.advance(leave) {
                        return;
                    }
                    enter = leave;
                }
                Action::Close(outcome) => {
                    self.set_status(leave, Status::Closed, Some(outcome));
                    return;
                }
                Action::Park => {
                    if !self.set_status(leave, Status::Parked, None) {
                        return;
                    }
                    let later = workday(leave + Days::new(skewed_days(self.rng, 45, 300)));
                    match pick_weighted(self.rng, &[30, 20, 50]) {
                        0 => {
                            if !self.set_status(later, Status::Open, None) {
                                return;
                            }
                            reopened = true;
                            enter = later;
                        }
                        1 => {
                            self.set_status(later, Status::Closed, Some(Outcome::Stopped));
                            return;
                        }
                        _ => return,
                    }
                }
            }
        }
    }
}

// ---------------------------------------------------------------------------------------
// A whole case
// ---------------------------------------------------------------------------------------

fn make_case(
    rng: &mut fastrand::Rng,
    id: String,
    created_day: NaiveDate,
    program: Option<&str>,
) -> Case {
    let unit_index = pick_weighted(rng, &UNITS.iter().map(|u| u.weight).collect::<Vec<_>>());
    let unit = &UNITS[unit_index];
    let idea = pick(rng, unit.ideas);
    let mut title = idea.title.to_string();
    if chance(rng, 0.2) {
        let suffix: &str = TITLE_SUFFIXES[rng.usize(..TITLE_SUFFIXES.len())];
        title.push_str(suffix);
    }
    let mut tags: Vec<String> = idea.tags.iter().map(|t| t.to_string()).collect();
    if chance(rng, 0.3) {
        let extra = pick(rng, unit.extra_tags).to_string();
        if !tags.contains(&extra) {
            tags.push(extra);
        }
    }
    let submitter = chance(rng, 0.95).then(|| Person {
        name: format!("{} {}", pick(rng, FIRST_NAMES), pick(rng, LAST_NAMES)),
        consent: chance(rng, 0.4),
        contact: None,
        ..Default::default()
    });
    let created = office_time(rng, created_day);

    let mut life = Life::new(rng, created, program.is_some());
    life.live();
    let Life {
        history,
        mut sessions,
        stage,
        status,
        outcome,
        coach,
        ..
    } = life;
    sessions.sort_by_key(|s| s.date);
    let sessions = thin_sessions(sessions);

    // The gates of Utveckla and Testa need the need and the idea written down; others
    // often have them too.
    let need = (stage >= UTVECKLA || chance(rng, 0.85)).then(|| idea.need.to_string());
    let idea_text = (stage >= TESTA || chance(rng, 0.75)).then(|| idea.idea.to_string());

    Case {
        id,
        title,
        created,
        stage: STAGE_KEYS[stage].to_string(),
        status,
        outcome,
        coach,
        unit: unit.name.to_string(),
        program: program.map(str::to_string),
        tags,
        partners: Vec::new(),
        result: None,
        follow_up: None,
        duplicate_of: None,
        handed_to: None,
        benefits: Vec::new(),
        adoptions: Vec::new(),
        submitter,
        description: Description {
            need,
            idea: idea_text,
        },
        history,
        sessions,
    }
}

/// The created days of all cases, with their program: a tenth of the cases per program,
/// registered around the program's start; the rest spread over the whole story.
fn plan(rng: &mut fastrand::Rng, n: usize) -> Vec<(NaiveDate, Option<&'static str>)> {
    let per_program = (((n as f64) * PROGRAM_SHARE).round() as usize).min(n / PROGRAMS.len());
    let mut plans = Vec::with_capacity(n);
    for p in &PROGRAMS {
        let start = ymd(p.start.0, p.start.1, p.start.2);
        let from = start - Days::new(21);
        for _ in 0..per_program {
            let day = workday(from + Days::new(rng.u64(..=50))).min(last_created_day());
            plans.push((day, Some(p.key)));
        }
    }
    let others = n - plans.len();
    plans.extend(created_days(rng, others).into_iter().map(|day| (day, None)));
    plans
}

// ---------------------------------------------------------------------------------------
// Settings
// ---------------------------------------------------------------------------------------

/// The default Swedish template with the portfolio's name, coaches and programs filled
/// in where the template shows them as comments.
fn settings_text() -> Result<String> {
    let mut text = TEMPLATE.to_string();
    let replace = |text: &mut String, from: &str, to: &str| -> Result<()> {
        ensure!(
            text.matches(from).count() == 1,
            "the template no longer has exactly one `{}`; update the generator",
            from.lines().next().unwrap_or(from)
        );
        *text = text.replacen(from, to, 1);
        Ok(())
    };
    replace(
        &mut text,
        "name = \"Idésluss\"\n",
        &format!("name = \"{PORTFOLIO_NAME}\"\n"),
    )?;
    let coaches: Vec<String> = COACHES
        .iter()
        .map(|(key, name)| format!("[[coaches]]\nkey = \"{key}\"\nname = \"{name}\"\n"))
        .collect();
    replace(
        &mut text,
        "# [[coaches]]\n# key = \"erik\"\n# name = \"Erik Lind\"\n",
        &coaches.join("\n"),
    )?;
    let programs: Vec<String> = PROGRAMS
        .iter()
        .map(|p| {
            format!(
                "[[programs]]\nkey = \"{}\"\nname = \"{}\"\nstart = {}\nend = {}\n",
                p.key,
                p.name,
                ymd(p.start.0, p.start.1, p.start.2),
                ymd(p.end.0, p.end.1, p.end.2),
            )
        })
        .collect();
    // The demo ended in June 2020: its reports describe that day, not today, when
    // every open case would be years stale.
    replace(
        &mut text,
        "stale_after_days = 60\n",
        &format!(
            "stale_after_days = 60\n\n\
             # The demo portfolio ended on this day: reports describe it unless --as-of\n\
             # names another day (for an archived portfolio or a demo).\n\
             [reports]\nas_of = {}\n",
            end_day()
        ),
    )?;
    replace(
        &mut text,
        "# [[programs]]\n# key = \"ip2018\"\n# name = \"Innovationsprogram 2018\"\n# start = 2018-02-01\n# end = 2018-06-30\n",
        &programs.join("\n"),
    )?;
    Ok(text)
}

// ---------------------------------------------------------------------------------------
// Checks
// ---------------------------------------------------------------------------------------

/// Every rule the story promises, checked on the case as parsed back from its file.
fn check_case(case: &Case, config: &Config) -> Result<()> {
    let problems = validate::problems(case, config);
    ensure!(problems.is_empty(), "{}: {}", case.id, problems.join("; "));

    // History strictly in time order, sessions in date order, nothing after the end.
    for pair in case.history.windows(2) {
        ensure!(pair[0].at < pair[1].at, "{}: history out of order", case.id);
    }
    if let Some(first) = case.history.first() {
        ensure!(
            first.at > case.created,
            "{}: history before created",
            case.id
        );
    }
    for pair in case.sessions.windows(2) {
        ensure!(
            pair[0].date <= pair[1].date,
            "{}: sessions out of order",
            case.id
        );
    }
    let last_day = case.history.last().map(|e| e.day());
    ensure!(
        last_day.is_none_or(|d| d <= end_day())
            && case.sessions.iter().all(|s| s.date <= end_day()
                && s.date >= case.created_day()
                && case.coach.is_some()),
        "{}: activity outside the story",
        case.id
    );

    // The recorded state is the replay of the history.
    let st = replay::state(case, config, Some(end_day())).expect("created before the end");
    ensure!(
        st.stage == case.stage
            && st.status == case.status
            && st.outcome == case.outcome
            && st.coach == case.coach,
        "{}: recorded state differs from its history",
        case.id
    );
    let last_coach = case.history.iter().rev().find_map(|e| e.coach.clone());
    ensure!(
        last_coach == case.coach,
        "{}: coach is not the last assignment",
        case.id
    );

    // Moves go one stage forward and every one met its gate on the day it was made.
    let mut coach: Option<String> = None;
    let mut stage = Some(INKOMMEN);
    for e in &case.history {
        if let Some(c) = &e.coach {
            coach = Some(c.clone());
        }
        if let (Some(from), Some(to)) = (&e.from, &e.to) {
            let (f, t) = (
                config.stage_index(from).expect("a stage"),
                config.stage_index(to).expect("a stage"),
            );
            ensure!(
                Some(f) == stage && t == f + 1,
                "{}: move out of order",
                case.id
            );
            stage = Some(t);
            if let Some(g) = &config.stages[t].gate {
                let then = Case {
                    coach: coach.clone(),
                    sessions: case
                        .sessions
                        .iter()
                        .filter(|s| s.date <= e.day())
                        .cloned()
                        .collect(),
                    ..case.clone()
                };
                let unmet = gate::unmet(g, &then);
                ensure!(
                    unmet.is_empty(),
                    "{}: entered {to} without {}",
                    case.id,
                    unmet.join(", ")
                );
            }
        }
    }
    // Implemented cases went all the way.
    if case.outcome == Some(Outcome::Implemented) {
        ensure!(
            case.stage == STAGE_KEYS[INFORA],
            "{}: implemented early",
            case.id
        );
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------
// The partner network and the programs' participants
// ---------------------------------------------------------------------------------------

/// Places around Sundsvall, for the names of fictional companies.
const COMPANY_PLACES: &[&str] = &[
    "Alnö",
    "Selånger",
    "Njurunda",
    "Stöde",
    "Matfors",
    "Kvissleby",
    "Sidsjö",
    "Birsta",
    "Korsta",
    "Tunadal",
    "Haga",
    "Nacksta",
    "Ljustorp",
    "Indal",
    "Liden",
    "Granlo",
    "Bergsåker",
    "Skönsberg",
    "Östrand",
    "Svartvik",
    "Lucksta",
    "Juniskär",
    "Stockvik",
    "Norrvik",
];
const COMPANY_TRADES: &[&str] = &[
    "Data",
    "Digital",
    "Omsorgsteknik",
    "Sensor",
    "Mjukvara",
    "Logistik",
    "Miljöteknik",
    "Design",
    "Hälsoteknik",
    "Robotik",
    "Analys",
    "Energi",
    "Mobilitet",
    "Kommunikation",
    "Bygg",
    "Larm & Trygghet",
    "Lärande",
    "Tjänstedesign",
];
const RESEARCH: &[&str] = &[
    "Högskolan i Medelpad",
    "Högskolan i Medelpad, hälsovetenskap",
    "Norrlands forskningsinstitut",
    "Institutet för välfärdsteknik",
    "Centrum för digital förvaltning",
    "Forskningscentrum Hälsa Norr",
    "Institutet för hållbara städer",
    "Norra Sveriges designlabb",
    "Lärandelabbet Mitt",
    "Energiforskning Norr",
    "Centrum för äldres hälsa",
    "Tjänstedesigninstitutet",
];
const PUBLIC: &[&str] = &[
    "Timrå kommun",
    "Härnösands kommun",
    "Ånge kommun",
    "Kramfors kommun",
    "Sollefteå kommun",
    "Örnsköldsviks kommun",
    "Hudiksvalls kommun",
    "Nordanstigs kommun",
    "Östersunds kommun",
    "Bräcke kommun",
    "Ljusdals kommun",
    "Umeå kommun",
    "Skellefteå kommun",
    "Bergs kommun",
    "Räddningstjänsten Medelpad",
    "Kommunalförbundet Medelpad",
    "Norrvatten Mitt",
    "Bostadsbolaget Norrbo",
    "Hjälpmedelscentralen Mitt",
    "Regionala vårdcentralen Mitt",
    "Länets kollektivtrafikbolag",
    "Samordningsförbundet Medelpad",
];
const CIVIC: &[&str] = &[
    "Föreningen Grannsamverkan Medelpad",
    "Studieförbundet Norrljus",
    "Idrottsalliansen Sundsvall",
    "Föreningen Unga i Norr",
    "Stiftelsen Äldrevänner",
    "Hyresgästföreningen Haga",
    "Kulturföreningen Bryggan",
    "Föreningen Nyanländas Röst",
    "Scoutkåren Alnö",
    "Föräldraföreningen Skolbron",
    "Funktionsrättsföreningen Mitt",
    "Stiftelsen Läxhjälpen Norr",
    "Bygdeföreningen Stöde",
    "Föreningen Cykelköket",
    "Pensionärsföreningen Njurunda",
    "Föreningen Trygg Hemma",
];
/// How many members of each kind the network has by the end of the story.
const NETWORK_MIX: [(MemberKind, usize); 4] = [
    (MemberKind::Company, 40),
    (MemberKind::Research, 12),
    (MemberKind::Public, 22),
    (MemberKind::Civic, 16),
];
/// The network was founded on this day, by its first members.
fn network_founded() -> NaiveDate {
    ymd(2017, 2, 1)
}
const FOUNDING_MEMBERS: usize = 8;

const PARTNER_ADDED_NOTES: &[&str] = &[
    "Partnern bidrar med teknik till testet",
    "Forskningsstöd i utvärderingen",
    "Gemensam pilot",
    "Partnern deltar i utvecklingen",
];
const PARTNER_REMOVED_NOTES: &[&str] = &["Partnern lämnade projektet", "Samarbetet avslutat"];
/// Teams that take part in programs, with their unit.
const TEAMS: &[(&str, &str)] = &[
    ("Team Hemtjänsten Alnö", "Vård och omsorg"),
    ("Team Förskolan Solrosen", "Barn och utbildning"),
    ("Team Miljöinspektörerna", "Miljö och hälsa"),
    ("Team Skolkuratorerna Norr", "Barn och utbildning"),
    ("Team Bygglovsenheten", "Stadsbyggnad"),
    ("Team Kundtjänst", "Kommunstyrelsekontoret"),
    ("Team Fritidsgårdarna", "Kultur och fritid"),
    ("Team Boendestödet Haga", "Socialtjänst"),
    ("Team Fordonsgruppen", "Service och teknik"),
    ("Team Jobbtorget", "Arbetsmarknad"),
];

/// A key from a name: lowercase ASCII, words joined by '-'.
fn slug(name: &str) -> String {
    let mut s = String::new();
    for c in name.to_lowercase().chars() {
        match c {
            'å' | 'ä' => s.push('a'),
            'ö' => s.push('o'),
            'é' => s.push('e'),
            c if c.is_ascii_alphanumeric() => s.push(c),
            _ if !s.ends_with('-') && !s.is_empty() => s.push('-'),
            _ => {}
        }
    }
    s.trim_end_matches('-').to_string()
}

/// An e-mail address in the reserved `.example` domain, so nobody gets mail.
fn email(name: &str, domain: &str) -> String {
    format!("{}@{domain}.example", slug(name).replace('-', "."))
}

fn removing(dir: &Path, force: bool, what: &str) -> Result<()> {
    let existing = toml_files(dir)?;
    if force {
        for path in &existing {
            fs::remove_file(path).with_context(|| format!("removing {}", path.display()))?;
        }
    } else if !existing.is_empty() {
        bail!(
            "{} already holds {} {what}; use --force to replace them",
            dir.display(),
            existing.len()
        );
    }
    fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))
}

/// Writes `network/<key>.toml`: about ninety organisations that joined from the
/// network's founding in 2017 to June 2020, more each year, a few of which left again,
/// each with a contact person. Its own seeded randomness, so the cases stay as they are.
fn write_network(out: &Path, seed: u64, force: bool) -> Result<Vec<Member>> {
    let dir = out.join(sluss::storage::records::NETWORK_DIR);
    removing(&dir, force, "member file(s)")?;
    let mut rng = fastrand::Rng::with_seed(seed ^ 0x006e_6574_776f_726b);

    // Names: every company a place and a trade, no two alike.
    let mut names: Vec<(MemberKind, String)> = Vec::new();
    let mut taken = HashSet::new();
    for (kind, count) in NETWORK_MIX {
        for i in 0..count {
            let name = match kind {
                MemberKind::Company => loop {
                    let name = format!(
                        "{} {} AB",
                        pick(&mut rng, COMPANY_PLACES),
                        pick(&mut rng, COMPANY_TRADES)
                    );
                    if !taken.contains(&name) {
                        break name;
                    }
                },
                MemberKind::Research => RESEARCH[i % RESEARCH.len()].to_string(),
                MemberKind::Public => PUBLIC[i % PUBLIC.len()].to_string(),
                MemberKind::Civic => CIVIC[i % CIVIC.len()].to_string(),
            };
            taken.insert(name.clone());
            names.push((kind, name));
        }
    }
    rng.shuffle(&mut names);
    // Two of each kind founded the network.
    let (mut founders, rest): (Vec<_>, Vec<_>) = names.into_iter().partition({
        let mut seen: Vec<MemberKind> = Vec::new();
        move |(kind, _)| {
            let first_two = seen.iter().filter(|k| *k == kind).count() < 2;
            seen.push(*kind);
            first_two
        }
    });
    founders.extend(rest);
    let names = founders;

    // Joined: the founders on the founding day, then ever more often (the chance of a
    // day grows with the time since the founding).
    let span = days_between(network_founded(), last_created_day()) as f64;
    let mut members: Vec<Member> = names
        .into_iter()
        .enumerate()
        .map(|(i, (kind, organisation))| {
            let joined = if i < FOUNDING_MEMBERS {
                network_founded()
            } else {
                let u = rng.f64().sqrt();
                workday(network_founded() + Days::new((u * span) as u64 + 1))
                    .min(last_created_day())
            };
            let left = (i >= FOUNDING_MEMBERS && chance(&mut rng, 0.12))
                .then(|| workday(joined + Days::new(rng.u64(150..700))))
                .filter(|d| *d < end_day());
            let person = format!(
                "{} {}",
                pick(&mut rng, FIRST_NAMES),
                pick(&mut rng, LAST_NAMES)
            );
            let domain = slug(&organisation).replace("-ab", "");
            let contact = chance(&mut rng, 0.92).then(|| Contact {
                email: chance(&mut rng, 0.9).then(|| email(&person, &domain)),
                phone: chance(&mut rng, 0.3).then(|| {
                    format!(
                        "070-{:03} {:02} {:02}",
                        rng.u32(100..1000),
                        rng.u32(0..100),
                        rng.u32(0..100)
                    )
                }),
                name: person,
                consent: chance(&mut rng, 0.4),
            });
            Member {
                key: slug(organisation.trim_end_matches(" AB")),
                organisation,
                kind,
                joined,
                left,
                contact,
            }
        })
        .collect();
    members.sort_by(|a, b| a.key.cmp(&b.key));
    for m in &members {
        let text = sluss::storage::records::member_text(m);
        let rel = Path::new(sluss::storage::records::NETWORK_DIR).join(format!("{}.toml", m.key));
        let check = sluss::check::network::check_member(&rel, text.as_bytes(), end_day());
        ensure!(
            check.problems.is_empty() && check.member.as_ref() == Some(m),
            "member {} does not check: {:?}\n{text}",
            m.key,
            check.problems
        );
        let path = out.join(&rel);
        fs::write(&path, &text).with_context(|| format!("writing {}", path.display()))?;
    }
    Ok(members)
}

/// The coach of a case at instant `at` (the coordinator before one is assigned).
fn coach_at(case: &Case, at: DateTime<FixedOffset>) -> String {
    case.history
        .iter()
        .rev()
        .filter(|e| e.at < at)
        .find_map(|e| e.coach.clone())
        .unwrap_or_else(|| COORDINATOR.to_string())
}

/// Names partners in about a third of the cases, more often in those that got to
/// development: at registration (`partners` only) or, for most that got that far, on
/// the day development started (a `partner_added` entry in history); a few stopped
/// cases lost a partner on the way.
fn name_partners(rng: &mut fastrand::Rng, mut case: Case, network: &[Member]) -> Case {
    let develop = case
        .history
        .iter()
        .find(|e| e.to.as_deref() == Some(STAGE_KEYS[UTVECKLA]))
        .map(|e| e.at);
    let p = if develop.is_some() { 0.55 } else { 0.22 };
    if !chance(rng, p) {
        return case;
    }
    let how_many = if chance(rng, 0.3) { 2 } else { 1 };
    let later = develop.filter(|_| chance(rng, 0.7));
    let day = later.map_or(case.created_day(), |at| at.date_naive());
    let mut candidates: Vec<&Member> = network.iter().filter(|m| m.is_member_on(day)).collect();
    if candidates.is_empty() {
        return case;
    }
    rng.shuffle(&mut candidates);
    let chosen: Vec<String> = candidates
        .iter()
        .take(how_many)
        .map(|m| m.key.clone())
        .collect();
    match later {
        None => case.partners = chosen,
        Some(move_at) => {
            // Just after the move into development, before whatever came next.
            let mut at = move_at;
            for key in &chosen {
                at += chrono::Duration::minutes(rng.i64(10..90));
                let next = case
                    .history
                    .iter()
                    .map(|e| e.at)
                    .filter(|t| *t > move_at)
                    .min();
                if next.is_some_and(|n| at >= n) || at.date_naive() > end_day() {
                    break;
                }
                case.history.push(HistoryEntry {
                    at,
                    by: coach_at(&case, at),
                    partner_added: Some(key.clone()),
                    note: chance(rng, 0.5).then(|| pick(rng, PARTNER_ADDED_NOTES).to_string()),
                    ..HistoryEntry::default()
                });
                case.partners.push(key.clone());
            }
            case.history.sort_by_key(|e| e.at);
        }
    }
    // A stopped case sometimes lost one of two partners the day before it was closed.
    let closed = case
        .history
        .iter()
        .rev()
        .find(|e| e.outcome == Some(Outcome::Stopped))
        .map(|e| e.at);
    if let Some(closed) = closed
        && case.partners.len() == 2
        && chance(rng, 0.5)
    {
        let at = closed - chrono::Duration::days(1);
        let previous = case
            .history
            .iter()
            .map(|e| e.at)
            .filter(|t| *t < closed)
            .max();
        if previous.is_none_or(|p| p < at) && at > case.created {
            let gone = case.partners.remove(rng.usize(..2));
            case.history.push(HistoryEntry {
                at,
                by: coach_at(&case, at),
                partner_added: None,
                partner_removed: Some(gone),
                note: Some(pick(rng, PARTNER_REMOVED_NOTES).to_string()),
                ..HistoryEntry::default()
            });
            case.history.sort_by_key(|e| e.at);
        }
    }
    case
}

/// Writes `programs/<key>.toml`: eight to fifteen people and teams in each program,
/// about half of whom agreed to be named. Its own seeded randomness.
fn write_participants(out: &Path, seed: u64, force: bool, config: &Config) -> Result<Vec<usize>> {
    let dir = out.join(sluss::storage::records::PROGRAMS_DIR);
    removing(&dir, force, "participant file(s)")?;
    let mut rng = fastrand::Rng::with_seed(seed ^ 0x7061_7274_6963);
    let mut counts = Vec::new();
    for p in &PROGRAMS {
        let n = rng.usize(8..=15);
        let mut participants: Vec<Participant> = Vec::with_capacity(n);
        while participants.len() < n {
            let (name, unit, kind) = if chance(&mut rng, 0.2) {
                let (team, unit) = pick(&mut rng, TEAMS);
                (team.to_string(), unit.to_string(), ParticipantKind::Team)
            } else {
                (
                    format!(
                        "{} {}",
                        pick(&mut rng, FIRST_NAMES),
                        pick(&mut rng, LAST_NAMES)
                    ),
                    pick(&mut rng, UNITS).name.to_string(),
                    ParticipantKind::Person,
                )
            };
            if participants.iter().any(|x| x.name == name) {
                continue;
            }
            let contact = (kind == ParticipantKind::Person && chance(&mut rng, 0.5))
                .then(|| email(&name, "sundsvall"));
            participants.push(Participant {
                name,
                unit,
                kind,
                consent: chance(&mut rng, 0.5),
                contact,
            });
        }
        let file = ProgramParticipants {
            program: p.key.to_string(),
            participants,
        };
        let text = sluss::storage::records::participants_text(&file);
        let rel = Path::new(sluss::storage::records::PROGRAMS_DIR).join(format!("{}.toml", p.key));
        let problems = sluss::check::network::check_program_file(&rel, text.as_bytes(), config);
        ensure!(
            problems.is_empty(),
            "{}: {problems:?}\n{text}",
            rel.display()
        );
        ensure!(
            sluss::storage::records::parse_participants(&rel, &text)
                .ok()
                .as_ref()
                == Some(&file),
            "{} changed in the round trip",
            rel.display()
        );
        let path = out.join(&rel);
        fs::write(&path, &text).with_context(|| format!("writing {}", path.display()))?;
        counts.push(n);
    }
    Ok(counts)
}

// ---------------------------------------------------------------------------------------
// Maturity self-assessments
// ---------------------------------------------------------------------------------------

/// The units that assess their innovation maturity, with where they started (mean score
/// in early 2017), how much they gain a year, and how many assessments a year they make.
const MATURITY_UNITS: [(&str, f64, f64, u32); 6] = [
    ("Vård och omsorg", 2.1, 0.40, 2),
    ("Socialtjänst", 1.9, 0.35, 2),
    ("Barn och utbildning", 2.4, 0.20, 1),
    ("Kommunstyrelsekontoret", 2.7, 0.30, 1),
    ("Service och teknik", 2.0, 0.25, 1),
    ("Kultur och fritid", 2.5, 0.15, 1),
];

/// How each question sits against a unit's level, in the template's question order:
/// leadership and small tests come easier than involving residents or following up.
const QUESTION_OFFSETS: [(&str, f64); 10] = [
    ("ledning", 0.5),
    ("tid", -0.6),
    ("ideer", 0.2),
    ("samverkan", 0.1),
    ("delaktighet", -0.5),
    ("testa_litet", 0.4),
    ("misslyckanden", -0.1),
    ("spridning", -0.3),
    ("uppfoljning", -0.6),
    ("kompetens", -0.2),
];

const MATURITY_NOTES: &[&str] = &[
    "Självskattning på arbetsplatsträffen.",
    "Workshop med ledningsgruppen, stöd av idéslussen.",
    "Enkät till alla medarbetare.",
    "Gjord på enhetschefernas träff.",
];

/// Writes `maturity/<date>-<unit>.toml`: two to eight assessments a unit from 2017 to
/// the spring of 2020, scores rising slowly with noise, each checked as `sluss check`
/// would. Its own seeded randomness, so the cases stay as they are.
fn write_maturity(out: &Path, seed: u64, force: bool, config: &Config) -> Result<usize> {
    let settings = config
        .maturity
        .as_ref()
        .context("the template has no [maturity] questions; update the generator")?;
    let keys: Vec<&str> = QUESTION_OFFSETS.iter().map(|(k, _)| *k).collect();
    ensure!(
        settings.question_keys() == keys,
        "the template's maturity questions changed; update the generator"
    );
    let dir = out.join(sluss::storage::maturity::MATURITY_DIR);
    let existing = toml_files(&dir)?;
    if force {
        for path in &existing {
            fs::remove_file(path).with_context(|| format!("removing {}", path.display()))?;
        }
    } else if !existing.is_empty() {
        bail!(
            "{} already holds {} assessment(s); use --force to replace them",
            dir.display(),
            existing.len()
        );
    }
    fs::create_dir_all(&dir).with_context(|| format!("creating {}", dir.display()))?;

    let mut rng = fastrand::Rng::with_seed(seed ^ 0x6d61_7475_7269_7479);
    let mut written = 0;
    for (unit, start, gain, per_year) in MATURITY_UNITS {
        for year in 2017..=2020 {
            // Spring (March to May) and, twice-a-year units and the rest alike, autumn
            // (September to November); 2020 has only its spring.
            let mut seasons: Vec<u32> = if per_year == 2 {
                vec![3, 9]
            } else {
                vec![*pick(&mut rng, &[3, 9])]
            };
            seasons.retain(|m| year < 2020 || *m < 6);
            for month in seasons {
                let date = workday(ymd(year, month + rng.u32(0..3), rng.u32(1..29)));
                let years_in = f64::from(year - 2017) + f64::from(month - 1) / 12.0;
                let level = start + gain * years_in + (rng.f64() - 0.5) * 0.3;
                // Now and then a question is left unanswered.
                let scores = QUESTION_OFFSETS
                    .iter()
                    .filter_map(|(key, offset)| {
                        let noisy = level + offset + (rng.f64() - 0.5) * 1.2;
                        let score = noisy
                            .round()
                            .clamp(settings.min() as f64, settings.max() as f64);
                        (!chance(&mut rng, 0.04)).then(|| (key.to_string(), score as i64))
                    })
                    .collect();
                let assessment = sluss::domain::maturity::Assessment {
                    date,
                    unit: unit.to_string(),
                    respondents: chance(&mut rng, 0.8).then(|| rng.u32(5..31)),
                    note: chance(&mut rng, 0.35)
                        .then(|| pick(&mut rng, MATURITY_NOTES).to_string()),
                    scores,
                };
                let text = sluss::storage::maturity::render_assessment(&assessment, settings);
                let path = dir.join(assessment.file_name());
                let rel =
                    Path::new(sluss::storage::maturity::MATURITY_DIR).join(assessment.file_name());
                let check = sluss::check::maturity::check_assessment(
                    &rel,
                    text.as_bytes(),
                    Some(settings),
                    end_day(),
                );
                ensure!(
                    check.problems.is_empty() && check.assessment.as_ref() == Some(&assessment),
                    "assessment {} does not check: {:?}\n{text}",
                    rel.display(),
                    check.problems
                );
                fs::write(&path, &text).with_context(|| format!("writing {}", path.display()))?;
                written += 1;
            }
        }
    }
    Ok(written)
}

// ---------------------------------------------------------------------------------------
// Main
// ---------------------------------------------------------------------------------------

#[derive(Default)]
struct Tally {
    open: usize,
    parked: usize,
    closed: usize,
    outcomes: [usize; 5],
    stale: usize,
    sessions: usize,
    minutes: u64,
    coach_minutes: [u64; 3],
    bytes: usize,
    with_partners: usize,
}

impl Tally {
    fn add(&mut self, case: &Case, bytes: usize) {
        match case.status {
            Status::Open => self.open += 1,
            Status::Parked => self.parked += 1,
            Status::Closed => self.closed += 1,
        }
        if let Some(o) = case.outcome {
            let i = Outcome::ALL
                .iter()
                .position(|x| *x == o)
                .expect("an outcome");
            self.outcomes[i] += 1;
        }
        let last = case
            .history
            .iter()
            .map(|e| e.day())
            .chain(case.sessions.iter().map(|s| s.date))
            .chain([case.created_day()])
            .max()
            .expect("created");
        if case.status == Status::Open && (end_day() - last).num_days() > STALE_AFTER_DAYS {
            self.stale += 1;
        }
        for s in &case.sessions {
            self.sessions += 1;
            self.minutes += u64::from(s.minutes);
            let i = COACHES
                .iter()
                .position(|(k, _)| *k == s.coach)
                .expect("a coach");
            self.coach_minutes[i] += u64::from(s.minutes);
        }
        self.bytes += bytes;
        self.with_partners += usize::from(!case.partners.is_empty());
    }

    fn report(&self, n: usize) -> String {
        let outcomes: Vec<String> = Outcome::ALL
            .iter()
            .zip(self.outcomes)
            .map(|(o, c)| format!("{o} {c}"))
            .collect();
        let coaches: Vec<String> = COACHES
            .iter()
            .zip(self.coach_minutes)
            .map(|((k, _), m)| format!("{k} {m}"))
            .collect();
        format!(
            "{n} cases: open {} (stale {}), parked {}, closed {} ({})\n\
             {} sessions, {} minutes ({})\n\
             {} bytes, {} bytes per case on average",
            self.open,
            self.stale,
            self.parked,
            self.closed,
            outcomes.join(", "),
            self.sessions,
            self.minutes,
            coaches.join(", "),
            self.bytes,
            self.bytes / n.max(1),
        )
    }
}

fn toml_files(dir: &Path) -> Result<Vec<PathBuf>> {
    let entries = match fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(e).with_context(|| format!("reading {}", dir.display())),
    };
    let mut files = Vec::new();
    for entry in entries {
        let path = entry?.path();
        if path.extension().is_some_and(|e| e == "toml") && path.is_file() {
            files.push(path);
        }
    }
    Ok(files)
}

fn main() -> std::process::ExitCode {
    match run(Args::parse()) {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e:#}");
            std::process::ExitCode::FAILURE
        }
    }
}

fn run(args: Args) -> Result<()> {
    let started = Instant::now();

    let settings = settings_text()?;
    let config = Config::from_toml(&settings).context("the generated sluss.toml")?;
    ensure!(config.problems().is_empty(), "{:?}", config.problems());
    ensure!(
        config.stage_keys() == STAGE_KEYS,
        "the template's stages changed; update the generator"
    );

    let cases_dir = args.out.join("cases");
    let config_path = args.out.join("sluss.toml");
    let existing = toml_files(&cases_dir)?;
    if args.force {
        for path in &existing {
            fs::remove_file(path).with_context(|| format!("removing {}", path.display()))?;
        }
    } else {
        if !existing.is_empty() {
            bail!(
                "{} already holds {} case file(s); use --force to replace them",
                cases_dir.display(),
                existing.len()
            );
        }
        if config_path.exists() && fs::read_to_string(&config_path)? != settings {
            bail!(
                "{} exists with other settings; use --force to overwrite it",
                config_path.display()
            );
        }
    }
    fs::create_dir_all(&cases_dir).with_context(|| format!("creating {}", cases_dir.display()))?;
    fs::write(&config_path, &settings)
        .with_context(|| format!("writing {}", config_path.display()))?;
    // The schemas that the `#:schema` lines of sluss.toml and every case name.
    let schemas_dir = args.out.join(sluss::schema::SCHEMAS_DIR);
    fs::create_dir_all(&schemas_dir)
        .with_context(|| format!("creating {}", schemas_dir.display()))?;
    for (name, schema) in sluss::schema::all() {
        let path = schemas_dir.join(name);
        fs::write(&path, sluss::schema::to_text(&schema))
            .with_context(|| format!("writing {}", path.display()))?;
    }

    let network = write_network(&args.out, args.seed, args.force)?;
    // The partners have randomness of their own, so the cases are what they were
    // before the network existed.
    let mut partner_rng = fastrand::Rng::with_seed(args.seed ^ 0x0070_6172_746e_6572);
    let member_keys: std::collections::BTreeSet<String> =
        network.iter().map(|m| m.key.clone()).collect();
    let mut rng = fastrand::Rng::with_seed(args.seed);
    let mut ids = HashSet::with_capacity(args.cases);
    let mut tally = Tally::default();
    for (day, program) in plan(&mut rng, args.cases) {
        let mut id = new_id(&mut rng);
        while !ids.insert(id.clone()) {
            id = new_id(&mut rng);
        }
        let case = make_case(&mut rng, id, day, program);
        let case = name_partners(&mut partner_rng, case, &network);
        let text = CaseDocument::for_new_case(&case).render();
        let path = cases_dir.join(format!("{}.toml", case.id));
        let parsed = parse_case(&path, &text)
            .map_err(|e| anyhow::anyhow!("{e}"))
            .with_context(|| format!("case {} does not parse back:\n{text}", case.id))?;
        ensure!(parsed == case, "case {} changed in the round trip", case.id);
        check_case(&parsed, &config).with_context(|| format!("case text:\n{text}"))?;
        let partner_problems =
            sluss::check::network::case_partners(&path, text.as_bytes(), &parsed, &member_keys);
        ensure!(
            partner_problems.is_empty(),
            "case {}: {partner_problems:?}",
            case.id
        );
        fs::write(&path, &text).with_context(|| format!("writing {}", path.display()))?;
        tally.add(&parsed, text.len());
    }

    let participants = write_participants(&args.out, args.seed, args.force, &config)?;
    eprintln!(
        "Wrote {} network member(s); {} case(s) name partners; participants per program: {:?}",
        network.len(),
        tally.with_partners,
        participants
    );
    eprintln!(
        "Wrote {} maturity assessment(s)",
        write_maturity(&args.out, args.seed, args.force, &config)?
    );
    eprintln!(
        "Wrote {} and {} case file(s) to {} in {:.2?} (seed {})",
        config_path.display(),
        args.cases,
        cases_dir.display(),
        started.elapsed(),
        args.seed
    );
    eprintln!("{}", tally.report(args.cases));
    Ok(())
}
