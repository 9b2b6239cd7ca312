"""Why each pattern expected to fail does so at the default calibration, and the plan.

:func:`sim.validation.validate` prints the entry of every failing pattern under the table of
``docs/validation.md``; a failing pattern without an entry is flagged there. Keep the entries
in step with the table when the model or its calibration changes (docs/calibration.md).
"""

from __future__ import annotations

KNOWN_FAILURES: dict[str, tuple[str, str]] = {
    "drought_price": (
        (
            "A severity-0.8 drought cuts the regional rain by 40 %, and with the harvest "
            "elasticity of millet prices of 0.8 [E] the lean-season price rises about ×1.50, "
            "the bottom of the range: replicates fall either side of it."
        ),
        (
            "Calibrate the elasticity (0.4-1.2 in conf/uncertainties [E]) against a Mopti "
            "price series (WFP VAM, FEWS NET; domain.md §8)."
        ),
    ),
    "tot_harvest": (
        (
            "With the goat price at the bottom of its range (17,500 FCFA [E]) the harvest "
            "terms of trade are about 145 kg of millet per goat in an average season, near the "
            "top of the 100-150 kg range (domain.md §5.2 [E]): seeds with good harvests fall "
            "above it."
        ),
        (
            "Replace the [E] price levels with the Mopti goat and millet series (domain.md "
            "§8) and revisit the goat price's seasonal peak (Tabaski moves about 11 days a "
            "year [F])."
        ),
    ),
    "market_dependence": (
        (
            "Poor and middle households buy similar shares of their food: the starter "
            "baseline's land and household sizes (domain.md §1.2 [E]) make the middle grow "
            "only about 80 % of their needs in an average season, and with households of a "
            "group differing in land and size, those short of grain buy more than those with "
            "a surplus sell."
        ),
        (
            "Replace the starter wealth-group table with the Plateau Dogon HEA baseline "
            "(domain.md §8)."
        ),
    ),
    "better_off_net_sellers": (
        (
            "With the starter baseline's land (5-8 ha) and household sizes (10-14 persons), "
            "plateau yields of about 480 kg/ha and cowpea counted as food, the better-off "
            "grow about their needs in an average season (domain.md §1.2, §5.1 [E/F]); they "
            "sell in good years and buy more in bad ones, so they end net buyers. The HEA "
            "own-crop shares of 90-110 % [E] are not reached within the sourced ranges."
        ),
        (
            "Replace the starter wealth-group table with the Plateau Dogon HEA baseline (hea-"
            "sahel.org, domain.md §8) and let the better-off rent or share-crop land."
        ),
    ),
    "livestock_buffer": (
        (
            "A drought lowers the value of livestock sold instead of raising it: fewer kids "
            "are weaned and more young die on the poor pasture, goat prices fall (distress "
            "sales, drought lean season −20 to −40 %, domain.md §5.2 [E]), and households "
            "near their last breeding females eat less rather than sell them; the extra "
            "distress sales (about a tenth of the income lost) and the animals not bought do "
            "not make up for the fall of normal sales. Fafchamps, Udry & Czukas (1998) found "
            "net sales offsetting 15-30 % of the loss."
        ),
        (
            "Make normal offtake follow cash needs (young males sold for school fees, "
            "ceremonies, Tabaski) rather than a fixed rate, so that a drought year raises the "
            "number sold even as prices fall; then recheck against the ICRISAT panel."
        ),
    ),
    "herd_stay_low_below": (
        (
            "Households left with no more than their last two breeding females after the "
            "drought rebuild more often than the trap implies (about 37 % within 3 years, "
            "target at most a quarter [E]): the flocks they start from are small, young "
            "females mature into breeders within about a year (domain.md §5.3 [F/D]), asset "
            "smoothing keeps their last females, and livestock loans restart empty flocks. "
            "Above the threshold about two thirds rebuild, so the two sides still differ."
        ),
        (
            "Test the threshold as a herd size rather than a count of females (Lybbert et "
            "al.: a critical herd, domain.md §6 [R]), and the rebuilding window against "
            "panel data of herds after the 2011/12 drought."
        ),
    ),
    "herd_growth": (
        (
            "With abortions and pre-weaning mortality taken once per kid (domain.md §5.3 "
            "[F]), a breeding female weans about 0.72 kids a year; weaned young and males die "
            "at 15 %/yr and a third of them are sold each year (offtake 35 % [R]), so births "
            "less deaths and normal sales are about 6 % of a poor household's flock a year. "
            "The 10-15 % of domain.md §7 fact 9 reads as growth net of mortality only (the "
            "fact adds that offtake keeps poor flocks near-stationary); net of mortality alone "
            "the flock grows about 30 %/yr, net of normal sales 6 %: neither reading gives "
            "10-15 % from the sourced rates."
        ),
        (
            "Check the rates against the Lesnoff & Julien tables (domain.md §8), with "
            "offtake as a share of the whole flock, males ≫ females."
        ),
    ),
    "benefit_cost": (
        (
            "By 18 months the full package has paid for two input seasons, two field-school "
            "seasons, the garden kits, the poultry, the groups' training and two cash "
            "transfers, but only one harvest has come in (the second season's harvest falls "
            "in the 19th month) and adoption starts paying in the second season, so benefits "
            "reach about 45 % of costs, below half of the 95 % of the Sahel full arm "
            "(Bossuroy et al. 2022, whose lump-sum grant pays at once)."
        ),
        (
            "Compare at 24 and 36 months as well, and the CdR's costs with the programme's "
            "budget (over 1 billion FCFA for 3,000 households, domain.md §0 [F])."
        ),
    ),
    "vsla_livestock": (
        (
            "Share-outs buy animals, but members then buy fewer at home: over the last "
            "programme year a member spends about 1,170 FCFA of her share-out on animals and "
            "about 1,170 FCFA less on animals from cash at home (her cash is in the group), "
            "so members' herds are about 0.002 TLU larger: positive but not surely so. "
            "Pricing the young stock households buy at half an adult's price (Yatenga: a "
            "young ram bought at 13,500 FCFA, sold at 27,000 before Tabaski [F]) makes the "
            "control buy more goats too and members' herds smaller (-0.015 TLU); paying debts "
            "before buying shares, and flat service charges over a 1-3-month term, leave it "
            "at zero (docs/calibration.md). Saving for Change found more livestock (domain.md "
            "§4.3 [F], value +13 % [R]): in the model the group savings replace the animals "
            "members would have bought, where the trial's savings came on top."
        ),
        (
            "Read the trial's livestock and savings tables (Beaman, Karlan & Thuysbaert 2014, "
            "NBER w20600: which species, and whether livestock rose with cash savings or in "
            "their place) and the Saving for Change loan-use shares, then model what made "
            "savings additional (commitment against spending at home, productive loans), "
            "each with the size they give."
        ),
    ),
    "vsla_food_security": (
        (
            "Savings groups smooth programme households' food across the year: in the lean "
            "season they go short by about 5 % less (pattern 'Savings groups: going short in "
            "the lean season', half a point of needs; with a December share-out instead of "
            "June's there is no such gain), but the shares members buy from January to June "
            "leave some of them just short of their needs in months they would otherwise "
            "have met, so months of adequate provisioning fall by about 0.03-0.04 a year. "
            "Members buy slightly more staple food over the year (about 6 kg) but fewer "
            "diverse foods, and end the programme with several hundred to about 1,500 FCFA "
            "more informal debt yet pay less interest on it: more of them sit at the "
            "informal debt ceiling, where interest stops; their group repayments and shares "
            "come before their other debts. Cheaper group loans, a December share-out, "
            "saving only from cash beyond the reserve, a kin tax on cash at home, paying "
            "informal debts before buying shares, buying only the minimum share while in "
            "debt, and flat service charges over a 1-3-month loan term were tried: none makes "
            "the months-count surely positive (docs/calibration.md)."
        ),
        (
            "Read which food-security measure the trial used (Beaman, Karlan & Thuysbaert "
            "2014, NBER w20600; BARA/IPA 2013): if graded by severity, measure the pattern "
            "the same way; if a count of months, model what added to members' resources "
            "(productive loans, commitment), each with a sourced size."
        ),
    ),
    "vsla_loan_months": (
        (
            "Members repay their group loans only from cash beyond a month of survival "
            "spending: most loans are repaid within a few months, but a tail of borrowers "
            "short of cash carry theirs for a year or more while the 10 % monthly charge "
            "compounds on the whole debt (VSLA charges are flat on the principal, and loans "
            "fall due within 1-3 months, domain.md §4.3 [R]), so the median loan runs about "
            "3.7 months and only about half are repaid within 3. Part of the groups' "
            "savings effect is these charges, owed by poor borrowers to the fund whose "
            "claims count in members' savings. With flat charges over a 3-month term the "
            "groups' return on assets would be about 21 % a year (49 % now; SAVIX average "
            "33 % [F]), but the savings effect falls to about 25 %, below the trial's 31 % "
            "(docs/calibration.md)."
        ),
        (
            "Enforce the loan term as the groups do (repayment at term, from the member's "
            "shares if need be) once the trial's savings measure (gross or net of loans) is "
            "read; recheck savings, lending and the return on assets together."
        ),
    ),
    "vsla_share_lent": (
        (
            "One loan at a time, repaid from spare cash (VSLA rules, domain.md §4.3 [R]), "
            "keeps members out of the debt spiral the first version had, but it also lowers "
            "lending: about 40 % of the shares bought are lent over 23 months, against about "
            "80 % in CdR Mali [D]; allowing several loans raised lending and lowered members' "
            "food provisioning (docs/calibration.md)."
        ),
        (
            "Add loans for productive uses (petty trade, small stock) and longer loan terms "
            "in the lean season, then recheck against the CdR Mali credit figures."
        ),
    ),
}
"""Pattern name → (reason, plan)."""
