/// Outcome counts for one Wycheproof file, printed after its run ("Wycheproof NAME: valid 12, ...").
struct WycheproofTally: CustomStringConvertible {
    var valid = 0, invalid = 0, acceptable = 0, skipped = 0
    var skipReasons: Set<String> = []
    var total: Int { valid + invalid + acceptable + skipped }
    var description: String {
        "valid \(valid), invalid \(invalid), acceptable \(acceptable), skipped \(skipped)"
            + (skipReasons.isEmpty ? "" : " (\(skipReasons.sorted().joined(separator: "; ")))")
    }
}

