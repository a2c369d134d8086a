//! `random_pet`: a pet name (`adverb-adjective-name`) generated locally, once, and kept in
//! state; the name is the `id`.
//!
//! No cloud calls. Words are drawn with the operating system's random source from the word
//! lists below (shorter lists than the golang-petname ones Terraform uses; the shape is the
//! same: `length` 1 is a name, 2 an adjective and a name, 3 and more adverbs before them).
//!
//! Replacement (a new name): a change of `keepers`, `length`, `prefix` or `separator`.

use rand::Rng;

use super::LocalValue;
use crate::error::ProviderError;
use crate::provider::Attributes;
use crate::schema::{AttrType, Attribute, Schema};
use crate::value::Value;

const ADVERBS: &[&str] = &[
    "ably",
    "actively",
    "amazingly",
    "amused",
    "aptly",
    "badly",
    "barely",
    "bravely",
    "briefly",
    "brightly",
    "calmly",
    "carefully",
    "certainly",
    "cheaply",
    "cleanly",
    "clearly",
    "closely",
    "correctly",
    "curiously",
    "daily",
    "deadly",
    "deeply",
    "definitely",
    "directly",
    "duly",
    "early",
    "easily",
    "equally",
    "evenly",
    "exactly",
    "fairly",
    "finally",
    "firmly",
    "freely",
    "frankly",
    "fully",
    "gently",
    "gladly",
    "globally",
    "gradually",
    "greatly",
    "happily",
    "hardly",
    "highly",
    "honestly",
    "humbly",
    "ideally",
    "initially",
    "instantly",
    "jointly",
    "kindly",
    "largely",
    "lately",
    "legally",
    "lightly",
    "likely",
    "literally",
    "loosely",
    "loudly",
    "luckily",
    "mainly",
    "manually",
    "merely",
    "mildly",
    "mostly",
    "namely",
    "naturally",
    "neatly",
    "newly",
    "nicely",
    "notably",
    "openly",
    "overly",
    "partially",
    "perfectly",
    "physically",
    "plainly",
    "politely",
    "possibly",
    "premium",
    "presumably",
    "previously",
    "promptly",
    "properly",
    "purely",
    "quickly",
    "quietly",
    "rapidly",
    "rarely",
    "readily",
    "really",
    "recently",
    "regularly",
    "remarkably",
    "safely",
    "sadly",
    "secondly",
    "seemingly",
    "sharply",
    "simply",
    "slightly",
    "slowly",
    "smoothly",
    "solely",
    "specially",
    "stable",
    "steadily",
    "strictly",
    "strongly",
    "subtly",
    "suddenly",
    "surely",
    "swiftly",
    "tightly",
    "totally",
    "truly",
    "usefully",
    "vastly",
    "virtually",
    "visually",
    "wholly",
    "widely",
    "wildly",
    "wisely",
];

const ADJECTIVES: &[&str] = &[
    "able",
    "above",
    "absolute",
    "accepted",
    "active",
    "adapted",
    "adequate",
    "advanced",
    "alert",
    "alive",
    "allowed",
    "amazed",
    "amused",
    "apparent",
    "approved",
    "apt",
    "artistic",
    "assured",
    "awake",
    "aware",
    "balanced",
    "becoming",
    "big",
    "blessed",
    "bold",
    "brave",
    "bright",
    "busy",
    "calm",
    "capable",
    "careful",
    "champion",
    "charming",
    "cheerful",
    "choice",
    "civil",
    "classic",
    "clean",
    "clear",
    "clever",
    "close",
    "comic",
    "communal",
    "complete",
    "concise",
    "content",
    "cool",
    "correct",
    "cosmic",
    "crack",
    "creative",
    "crisp",
    "cuddly",
    "current",
    "cute",
    "daring",
    "dashing",
    "decent",
    "deep",
    "definite",
    "delicate",
    "desired",
    "destined",
    "direct",
    "distinct",
    "divine",
    "driven",
    "dynamic",
    "eager",
    "easy",
    "elegant",
    "enabled",
    "engaged",
    "enormous",
    "epic",
    "equal",
    "eternal",
    "evident",
    "exact",
    "excited",
    "expert",
    "fair",
    "faithful",
    "famous",
    "fancy",
    "fast",
    "feasible",
    "fine",
    "firm",
    "fit",
    "fleet",
    "flowing",
    "fluent",
    "fond",
    "free",
    "fresh",
    "friendly",
    "full",
    "funky",
    "game",
    "generous",
    "gentle",
    "genuine",
    "giving",
    "glad",
    "golden",
    "good",
    "grand",
    "grateful",
    "great",
    "growing",
    "handy",
    "happy",
    "hardy",
    "harmless",
    "healthy",
    "helpful",
    "hip",
    "holy",
    "honest",
    "hopeful",
    "humble",
    "ideal",
    "immense",
    "improved",
    "infinite",
    "innocent",
    "intent",
    "joint",
    "just",
    "keen",
    "key",
    "kind",
    "large",
    "lasting",
    "legal",
    "liberal",
    "light",
    "literate",
    "live",
    "logical",
    "loved",
    "loving",
    "loyal",
    "lucky",
    "magical",
    "main",
    "major",
    "many",
    "massive",
    "master",
    "mature",
    "maximum",
    "measured",
    "merry",
    "mighty",
    "mint",
    "modern",
    "modest",
    "moral",
    "moved",
    "natural",
    "neat",
    "needed",
    "neutral",
    "new",
    "next",
    "nice",
    "noble",
    "normal",
    "notable",
    "novel",
    "open",
    "optimal",
    "organic",
    "patient",
    "peaceful",
    "perfect",
    "pet",
    "picked",
    "pleased",
    "poetic",
    "polite",
    "popular",
    "positive",
    "possible",
    "powerful",
    "precious",
    "present",
    "pretty",
    "prime",
    "probable",
    "proper",
    "proud",
    "pumped",
    "quick",
    "quiet",
    "rapid",
    "rare",
    "ready",
    "real",
    "refined",
    "regular",
    "relaxed",
    "relevant",
    "renewed",
    "resolved",
    "rested",
    "rich",
    "right",
    "robust",
    "romantic",
    "ruling",
    "safe",
    "saving",
    "secure",
    "select",
    "sharp",
    "shining",
    "simple",
    "sincere",
    "smart",
    "smiling",
    "smooth",
    "social",
    "solid",
    "sound",
    "sparkling",
    "special",
    "splendid",
    "square",
    "stable",
    "star",
    "steady",
    "sterling",
    "still",
    "stirred",
    "strong",
    "stunning",
    "subtle",
    "suitable",
    "summary",
    "super",
    "sure",
    "sweet",
    "swift",
    "tender",
    "tidy",
    "tight",
    "together",
    "top",
    "topical",
    "tough",
    "trusted",
    "trusty",
    "ultimate",
    "unique",
    "united",
    "up",
    "usable",
    "useful",
    "valid",
    "vast",
    "verified",
    "viable",
    "vital",
    "warm",
    "welcome",
    "well",
    "whole",
    "wise",
    "witty",
    "wondrous",
    "worthy",
];

const NAMES: &[&str] = &[
    "aardvark", "akita", "albacore", "alien", "alpaca", "amoeba", "anchovy", "anemone", "ant",
    "anteater", "antelope", "ape", "aphid", "arachnid", "asp", "baboon", "badger", "barnacle",
    "basilisk", "bass", "bat", "beagle", "bear", "bedbug", "bee", "beetle", "bengal", "bird",
    "bison", "blowfish", "bluebird", "bluegill", "bluejay", "boa", "boar", "bobcat", "bonefish",
    "boxer", "bream", "buck", "buffalo", "bug", "bull", "bulldog", "bullfrog", "bunny", "burro",
    "buzzard", "caiman", "calf", "camel", "cardinal", "caribou", "cat", "catfish", "cattle",
    "chamois", "cheetah", "chicken", "chigger", "chimp", "chipmunk", "cicada", "clam", "cobra",
    "cockatoo", "cod", "collie", "colt", "condor", "coral", "corgi", "cougar", "cow", "coyote",
    "crab", "crane", "crawdad", "crayfish", "cricket", "crow", "cub", "dane", "dassie", "deer",
    "dingo", "dinosaur", "doe", "dog", "dogfish", "dolphin", "donkey", "dory", "dove", "dragon",
    "drake", "drum", "duck", "duckling", "eagle", "earwig", "eel", "egret", "elephant", "elf",
    "elk", "emu", "escargot", "ewe", "falcon", "fawn", "feline", "ferret", "finch", "firefly",
    "fish", "flamingo", "flea", "fly", "foal", "fowl", "fox", "frog", "gannet", "gar", "gator",
    "gazelle", "gecko", "gelding", "ghost", "ghoul", "gibbon", "giraffe", "glider", "glowworm",
    "gnat", "gnu", "goat", "goblin", "goldfish", "goose", "gopher", "gorilla", "grackle",
    "grouper", "grouse", "grub", "grubworm", "guinea", "gull", "guppy", "haddock", "hagfish",
    "halibut", "hamster", "hare", "hawk", "hedgehog", "hen", "heron", "herring", "hippo", "hog",
    "hookworm", "hornet", "horse", "hound", "humpback", "husky", "hyena", "ibex", "iguana",
    "impala", "insect", "jackal", "jaguar", "jay", "jennet", "joey", "kangaroo", "katydid", "kid",
    "killdeer", "kingfish", "kit", "kite", "kitten", "kiwi", "koala", "koi", "krill", "lab",
    "labrador", "ladybird", "ladybug", "lamb", "lamprey", "lark", "leech", "lemming", "lemur",
    "leopard", "liger", "lion", "lionfish", "lizard", "llama", "lobster", "locust", "longhorn",
    "loon", "louse", "lynx", "macaque", "macaw", "mackerel", "maggot", "magpie", "mako",
    "malamute", "mallard", "mammal", "mammoth", "man", "manatee", "mantis", "marlin", "marmoset",
    "marmot", "marten", "martin", "mastiff", "mastodon", "mayfly", "meerkat", "midge", "mink",
    "minnow", "mole", "mollusk", "mongoose", "monkey", "moose", "moray", "mosquito", "moth",
    "mouse", "mudfish", "mule", "mullet", "muskox", "muskrat", "mustang", "mutt", "narwhal",
    "newt", "oarfish", "ocelot", "octopus", "opossum", "orca", "oriole", "oryx", "osprey",
    "ostrich", "owl", "ox", "oyster", "panda", "pangolin", "panther", "parakeet", "parrot",
    "peacock", "pegasus", "pelican", "penguin", "perch", "pheasant", "pig", "pigeon", "piglet",
    "pika", "pipefish", "piranha", "platypus", "polecat", "polliwog", "pony", "porpoise", "possum",
    "poodle", "prawn", "primate", "pug", "puma", "pup", "python", "quagga", "quail", "rabbit",
    "raccoon", "racer", "ram", "raptor", "rat", "rattler", "raven", "ray", "redbird", "redfish",
    "reindeer", "reptile", "rhino", "roughy", "robin", "rodent", "rooster", "sailfish", "salmon",
    "sawfish", "scorpion", "seagull", "seahorse", "seal", "serval", "shark", "sheep", "shepherd",
    "shiner", "shrew", "shrimp", "silkworm", "skink", "skunk", "sloth", "slug", "snail", "snake",
    "snapper", "snipe", "sole", "sparrow", "spider", "sponge", "squid", "squirrel", "stag",
    "stallion", "starfish", "starling", "stingray", "stinkbug", "stork", "sturgeon", "sunbeam",
    "sunbird", "sunfish", "swan", "swift", "swine", "tadpole", "tahr", "tapir", "tarpon", "teal",
    "termite", "terrier", "tetra", "thrush", "tick", "tiger", "titmouse", "toad", "tomcat",
    "tortoise", "toucan", "treefrog", "troll", "trout", "tuna", "turkey", "turtle", "unicorn",
    "urchin", "vervet", "viper", "vulture", "wahoo", "wallaby", "walleye", "walrus", "warthog",
    "wasp", "weasel", "weevil", "werewolf", "whale", "whippet", "wildcat", "wolf", "wombat",
    "woodcock", "worm", "wren", "yak", "yeti", "zebra",
];

pub struct RandomPet {
    schema: Schema,
}

impl RandomPet {
    pub fn new() -> Self {
        RandomPet {
            schema: Schema::new(vec![
                Attribute::computed("id", AttrType::String).describe("The generated pet name."),
                super::keepers_attribute(),
                Attribute::optional("length", AttrType::Number)
                    .default(2.0)
                    .force_new()
                    .describe("Number of words."),
                Attribute::optional("prefix", AttrType::String)
                    .force_new()
                    .describe("Written before the words, joined by the separator."),
                Attribute::optional("separator", AttrType::String)
                    .default("-")
                    .force_new(),
            ]),
        }
    }
}

impl Default for RandomPet {
    fn default() -> Self {
        RandomPet::new()
    }
}

/// A pet name of `length` words joined by `separator`, after `prefix` when there is one.
pub fn pet_name(
    rng: &mut impl Rng,
    length: usize,
    separator: &str,
    prefix: Option<&str>,
) -> String {
    let mut pick = |words: &[&'static str]| words[rng.random_range(0..words.len())];
    let mut words: Vec<&str> = Vec::with_capacity(length + 1);
    if let Some(prefix) = prefix.filter(|prefix| !prefix.is_empty()) {
        words.push(prefix);
    }
    for _ in 2..length {
        words.push(pick(ADVERBS));
    }
    if length >= 2 {
        words.push(pick(ADJECTIVES));
    }
    words.push(pick(NAMES));
    words.join(separator)
}

impl LocalValue for RandomPet {
    const TYPE_NAME: &'static str = "random_pet";
    const GENERATED: &'static [&'static str] = &["id"];

    fn schema(&self) -> &Schema {
        &self.schema
    }

    fn generate(&self, desired: &Attributes) -> Result<Attributes, ProviderError> {
        let length = desired.get("length").and_then(Value::as_f64).unwrap_or(2.0);
        if length < 1.0 || length.fract() != 0.0 || length > 64.0 {
            return Err(ProviderError::invalid(
                "length",
                "must be a whole number from 1 to 64",
            ));
        }
        let separator = desired
            .get("separator")
            .and_then(Value::as_str)
            .unwrap_or("-");
        let prefix = desired.get("prefix").and_then(Value::as_str);
        let name = pet_name(&mut rand::rng(), length as usize, separator, prefix);
        let mut attributes = desired.clone();
        attributes.insert("id".into(), Value::String(name));
        Ok(attributes)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_have_terraforms_shape() {
        let mut rng = rand::rng();
        let one = pet_name(&mut rng, 1, "-", None);
        assert!(NAMES.contains(&one.as_str()), "{one}");
        let two = pet_name(&mut rng, 2, "-", None);
        let (adjective, name) = two.split_once('-').expect("two words");
        assert!(
            ADJECTIVES.contains(&adjective) && NAMES.contains(&name),
            "{two}"
        );
        let three = pet_name(&mut rng, 3, "_", Some("dev"));
        let words: Vec<&str> = three.split('_').collect();
        assert_eq!(words.len(), 4, "{three}");
        assert_eq!(words[0], "dev");
        assert!(ADVERBS.contains(&words[1]), "{three}");
        assert!(ADJECTIVES.contains(&words[2]), "{three}");
        assert!(NAMES.contains(&words[3]), "{three}");
    }

    #[test]
    fn words_are_lower_case_letters() {
        for word in ADVERBS.iter().chain(ADJECTIVES).chain(NAMES) {
            assert!(word.chars().all(|c| c.is_ascii_lowercase()), "{word}");
        }
    }
}
