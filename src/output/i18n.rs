//! Words shown to people in maps, reports, legends and styles, in English and Vietnamese.
//! Field names and coded values (`must_relocate`, `C2`) stay as DESIGN.md writes them; these are
//! the labels that stand beside them.

use crate::criteria::{Criterion, Verdict};
use crate::model::Lang;

/// The label of a verdict.
pub fn verdict(lang: Lang, v: Verdict) -> &'static str {
    match (lang, v) {
        (Lang::En, Verdict::MustRelocate) => "Must relocate",
        (Lang::En, Verdict::Encouraged) => "Encouraged to relocate",
        (Lang::En, Verdict::MayStay) => "May stay",
        (Lang::En, Verdict::OutOfScope) => "Out of scope",
        (Lang::Vi, Verdict::MustRelocate) => "Buộc phải di dời",
        (Lang::Vi, Verdict::Encouraged) => "Khuyến khích di dời",
        (Lang::Vi, Verdict::MayStay) => "Được ở lại",
        (Lang::Vi, Verdict::OutOfScope) => "Ngoài phạm vi",
    }
}

/// The label of a criterion, as the province published it (shortened).
pub fn criterion(lang: Lang, c: Criterion) -> &'static str {
    match (lang, c) {
        (Lang::En, Criterion::C1Construction) => "C1 Construction / urban planning law",
        (Lang::En, Criterion::C2Environment) => "C2 Environment, cannot remedy",
        (Lang::En, Criterion::C3FireSafety) => "C3 Fire safety, cannot remedy",
        (Lang::En, Criterion::C4LandUse) => "C4 Inconsistent with the land-use plan",
        (Lang::Vi, Criterion::C1Construction) => "TC1 Vi phạm Luật Xây dựng, Luật Đô thị",
        (Lang::Vi, Criterion::C2Environment) => "TC2 Không bảo đảm môi trường, không thể khắc phục",
        (Lang::Vi, Criterion::C3FireSafety) => "TC3 Không bảo đảm PCCC, không thể khắc phục",
        (Lang::Vi, Criterion::C4LandUse) => "TC4 Không phù hợp quy hoạch sử dụng đất",
    }
}

/// The label of a factory's status in the plan (`assigned`, `unassigned`, `stays`).
pub fn status(lang: Lang, status: &str) -> &'static str {
    match (lang, status) {
        (Lang::En, "assigned") => "Assigned to a park",
        (Lang::En, "unassigned") => "No park found",
        (Lang::En, "stays") => "Stays",
        (Lang::Vi, "assigned") => "Đã bố trí vào KCN/CCN",
        (Lang::Vi, "unassigned") => "Chưa bố trí được",
        (Lang::Vi, "stays") => "Ở lại",
        _ => "",
    }
}

/// The title of an output layer (`factories`, `parks`, `moves`, `districts`, `zoning`) in
/// legends and the QGIS layer tree.
pub fn layer_title(lang: Lang, layer: &str) -> &'static str {
    match (lang, layer) {
        (Lang::En, "factories") => "Factories",
        (Lang::En, "parks") => "Industrial parks (land filled)",
        (Lang::En, "moves") => "Moves (one line per factory)",
        (Lang::En, "flows") => "Flows (factories from origin to park)",
        (Lang::En, "districts") => "Districts",
        (Lang::En, "zoning") => "Land-use plan",
        (Lang::Vi, "factories") => "Cơ sở sản xuất",
        (Lang::Vi, "parks") => "KCN/CCN (tỷ lệ lấp đầy)",
        (Lang::Vi, "moves") => "Di dời (từng cơ sở)",
        (Lang::Vi, "flows") => "Luồng di dời (số cơ sở từ nơi đi đến KCN/CCN)",
        (Lang::Vi, "districts") => "Địa bàn",
        (Lang::Vi, "zoning") => "Quy hoạch sử dụng đất",
        _ => "",
    }
}

/// The label of a district's role in the scenario (`origin`, `destination`, `other`).
pub fn area_role(lang: Lang, role: &str) -> &'static str {
    match (lang, role) {
        (Lang::En, "origin") => "Origin (factories leave)",
        (Lang::En, "destination") => "Destination (parks receive)",
        (Lang::En, "other") => "Other",
        (Lang::Vi, "origin") => "Địa bàn di dời đi",
        (Lang::Vi, "destination") => "Địa bàn tiếp nhận",
        (Lang::Vi, "other") => "Khác",
        _ => "",
    }
}

/// Declares the fixed words of the map and the report, each with its English and Vietnamese
/// text, so that a missing translation is a compile error rather than an empty label.
/// `{n}` in a text is replaced by the caller (a count, a scale, a name).
macro_rules! terms {
    ($($name:ident => $en:literal, $vi:literal;)+) => {
        /// A fixed word or sentence of the map or the report.
        #[derive(Clone, Copy, Debug, PartialEq, Eq)]
        pub enum Term { $($name),+ }

        impl Term {
            pub const ALL: &'static [Term] = &[$(Term::$name),+];
        }

        /// The text of a fixed word in the run's language.
        pub fn term(lang: Lang, t: Term) -> &'static str {
            match (lang, t) {
                $((Lang::En, Term::$name) => $en, (Lang::Vi, Term::$name) => $vi,)+
            }
        }
    };
}

terms! {
    // Map.
    MapKicker => "Relocation plan — map", "Phương án di dời — bản đồ";
    Legend => "Legend", "Chú giải";
    FactoriesByVerdict => "Factories, by verdict", "Cơ sở sản xuất, theo kết luận";
    MoveLine => "Move to the assigned park (straight line)", "Di dời đến KCN/CCN được bố trí (đường thẳng)";
    FilterAll => "all", "tất cả";
    ZoomIn => "Zoom in", "Phóng to";
    ZoomOut => "Zoom out", "Thu nhỏ";
    ZoomReset => "Whole map", "Toàn bản đồ";
    MapClickHint => "Click a factory for its verdict, evidence and park, or a park for its fill and factories. Scroll or use + and − to zoom, drag to pan; click a row of the factory table to find it here.", "Bấm vào một cơ sở để xem kết luận, căn cứ và nơi tiếp nhận, hoặc vào một KCN/CCN để xem tỷ lệ lấp đầy và các cơ sở. Cuộn chuột hoặc dùng + và − để phóng to, kéo để di chuyển; bấm vào một dòng của bảng cơ sở để tìm trên bản đồ.";
    MapCellsHint => "Too many factories for one dot each: discs show the factories of each grid cell. Click a disc for its counts, a park for its fill, or a row of the factory table to find that factory.", "Quá nhiều cơ sở để vẽ từng điểm: mỗi vòng tròn là số cơ sở trong một ô lưới. Bấm vào vòng tròn để xem số lượng, vào KCN/CCN để xem tỷ lệ lấp đầy, hoặc vào một dòng của bảng cơ sở để tìm cơ sở đó.";
    MapFlowLegend => "Flow from origin district to park (width: factories)", "Luồng từ địa bàn đến KCN/CCN (độ rộng: số cơ sở)";
    RuledOut => "Parks ruled out", "Các KCN/CCN bị loại";
    MapMore => "and {n} more", "và {n} cơ sở khác";
    MapShown => "{n} of {total} factories shown", "Hiển thị {n} / {total} cơ sở";
    MapShowInTable => "Show in the table", "Xem trong bảng";
    MapCell => "Factories in this cell", "Cơ sở trong ô này";
    FlowsHeading => "Moves, from origin district to park", "Di dời, từ địa bàn đến KCN/CCN";
    FlowsHeadingCells => "Moves, from origin area to park", "Di dời, từ khu vực đến KCN/CCN";
    FlowWidth => "{n} factories", "{n} cơ sở";
    FlowWidthOne => "1 factory", "1 cơ sở";
    FlowNote => "Width and label: factories in the flow.", "Độ rộng và nhãn: số cơ sở của luồng.";
    FlowOrigin => "Origin: centre of its moving factories", "Nơi đi: tâm các cơ sở di dời";
    ParksByFill => "Parks: offered land allocated", "KCN/CCN: tỷ lệ quỹ đất đã bố trí";
    FillNone => "none allocated", "chưa bố trí";
    ParkNotDestination => "Park outside the destination area", "KCN/CCN ngoài vùng tiếp nhận";
    DistrictOutline => "District (legacy boundary)", "Huyện, thị xã, thành phố (ranh giới cũ)";
    Zoning => "Planned land use", "Quy hoạch sử dụng đất";
    NorthLetter => "N", "B";
    ScaleAtA3 => "Scale 1:{n} when printed on A3", "Tỷ lệ 1:{n} khi in khổ A3";
    PlanInFigures => "The plan in figures", "Phương án qua số liệu";
    LandAllocatedOf => "Land allocated: {n} ha", "Đất đã bố trí: {n} ha";
    LandOffered => "Land offered: {n} ha", "Quỹ đất dành cho di dời: {n} ha";
    NoteScenario => "Scenario: {n}", "Kịch bản: {n}";
    NoteSource => "Source: the input layers of {n}; factory data as supplied, not surveyed by this tool.", "Nguồn: các lớp dữ liệu đầu vào của {n}; số liệu cơ sở sản xuất theo dữ liệu được cung cấp, công cụ không khảo sát.";
    NoteStraightLine => "Distances are straight-line, not by road.", "Khoảng cách tính theo đường thẳng, không theo đường bộ.";
    NoteByRoad => "Distances are by road: to the nearest road, along the roads, then to the park.", "Khoảng cách tính theo đường bộ: ra đường gần nhất, theo đường, rồi vào KCN/CCN.";
    MoveLineRoad => "Move to the assigned park (by road)", "Di dời đến KCN/CCN được bố trí (theo đường bộ)";
    NoteCrs => "Measured in {n}; north arrow shows grid north.", "Đo đạc trong hệ tọa độ {n}; mũi tên chỉ hướng bắc lưới.";
    NoteTool => "Drawn by relocate {n}.", "Lập bằng relocate {n}.";
    NoFeatures => "No features to draw", "Không có đối tượng để vẽ";
    // Planned uses (zoning legend).
    UseIndustrial => "Industrial", "Công nghiệp";
    UseResidential => "Residential", "Đất ở";
    UseCommercial => "Commercial", "Thương mại, dịch vụ";
    UseMixed => "Mixed use", "Hỗn hợp";
    UsePublic => "Public facilities", "Công trình công cộng";
    UseGreen => "Green space", "Cây xanh";
    UseAgricultural => "Agricultural", "Nông nghiệp";
    UseInfrastructure => "Infrastructure", "Hạ tầng kỹ thuật";
    UseOther => "Other", "Khác";
    // Report.
    ReportKicker => "Relocation plan — report", "Phương án di dời — báo cáo";
    KeyFigures => "Key figures", "Số liệu chính";
    FactoriesAssessed => "Factories assessed", "Cơ sở sản xuất được đánh giá";
    Assigned => "Assigned to a park", "Đã bố trí vào KCN/CCN";
    Unassigned => "No park found", "Chưa bố trí được";
    LandNeeded => "Land needed by relocating factories", "Diện tích đất cần cho các cơ sở di dời";
    LandAvailable => "Land offered in destination parks", "Quỹ đất dành cho di dời tại KCN/CCN tiếp nhận";
    LandAllocated => "Land allocated", "Đất đã bố trí";
    Objective => "Total cost (objective)", "Tổng chi phí (hàm mục tiêu)";
    LowerBound => "Proven lower bound", "Cận dưới đã chứng minh";
    Gap => "Optimality gap", "Khoảng cách tối ưu";
    GapAtTimeLimit => "{n} % (time limit reached: the best plan found by then)", "{n} % (hết thời gian giới hạn: phương án tốt nhất tìm được đến lúc đó)";
    PlacedMust => "Must-relocate factories placed", "Cơ sở buộc di dời đã bố trí";
    PlacedEncouraged => "Encouraged factories placed", "Cơ sở được khuyến khích di dời đã bố trí";
    CountProven => "{n} (proven: no plan places more)", "{n} (đã chứng minh: không phương án nào bố trí được nhiều hơn)";
    CountAtMost => "{n} (any plan places at most {m} more)", "{n} (mọi phương án chỉ bố trí thêm được tối đa {m})";
    CountAfterMust => "{n} (bounded once the must-relocate count is proven)", "{n} (chỉ xác định được cận trên khi số cơ sở buộc di dời đã được chứng minh)";
    Map => "Map", "Bản đồ";
    CriteriaHeading => "Relocation criteria", "Tiêu chí di dời";
    Criterion => "Criterion", "Tiêu chí";
    MetTotal => "Met", "Thỏa mãn";
    MetByRecord => "by inspection record", "theo biên bản kiểm tra";
    MetByScreeningOnly => "by screening only", "chỉ theo sàng lọc không gian";
    FindingUnknown => "Unknown (no data)", "Chưa rõ (thiếu dữ liệu)";
    CriterionOff => "Switched off in the scenario", "Không áp dụng trong kịch bản";
    CriteriaNote => "A record is an inspection finding; screening is a spatial inference that calls for an inspection before a legal decision.", "Biên bản là kết quả kiểm tra; sàng lọc là suy luận không gian, cần kiểm tra thực tế trước khi ra quyết định.";
    ParksHeading => "Destination parks", "KCN/CCN tiếp nhận";
    Park => "Park", "KCN/CCN";
    District => "District", "Địa bàn";
    ParkClass => "Class", "Loại";
    AvailableHa => "Offered (ha)", "Quỹ đất (ha)";
    AllocatedHa => "Allocated (ha)", "Đã bố trí (ha)";
    RemainingHa => "Remaining (ha)", "Còn lại (ha)";
    FillPct => "Fill (%)", "Lấp đầy (%)";
    FactoriesCount => "Factories", "Số cơ sở";
    Workers => "Workers", "Lao động";
    ShortfallsHeading => "Shortfalls", "Thiếu hụt quỹ đất";
    NoShortfalls => "No shortfall: every relocating factory has a park.", "Không thiếu hụt: mọi cơ sở di dời đều được bố trí.";
    Sector => "Sector", "Ngành";
    HazardClass => "Hazard class", "Cấp nguy hại";
    DeadlineYear => "Deadline", "Thời hạn";
    LandHa => "Land (ha)", "Diện tích (ha)";
    InspectFirstHeading => "Record and screening disagree: inspect first", "Hồ sơ và sàng lọc không thống nhất: cần kiểm tra trước";
    InspectFirstCount => "{n} factories have an inspection record saying they comply where the spatial screening finds the criterion.", "{n} cơ sở có hồ sơ kiểm tra cho là đạt yêu cầu trong khi sàng lọc không gian phát hiện vi phạm tiêu chí.";
    InspectFirstRecordDecides => "In this scenario the record decides (record_overrides_screening = true): the criterion is not met, and an inspection should confirm the record is current.", "Theo kịch bản này, hồ sơ quyết định (record_overrides_screening = true): tiêu chí không được xác lập; cần kiểm tra để xác nhận hồ sơ còn hiệu lực.";
    InspectFirstEitherDecides => "In this scenario either source establishes a criterion (record_overrides_screening = false): the criterion is met on the screening, and an inspection should confirm it before a legal decision.", "Theo kịch bản này, một trong hai nguồn đủ để xác lập tiêu chí (record_overrides_screening = false): tiêu chí được xác lập theo sàng lọc; cần kiểm tra trước khi ra quyết định pháp lý.";
    Disagreeing => "Criteria in dispute", "Tiêu chí không thống nhất";
    FactoriesHeading => "Every factory", "Danh sách cơ sở sản xuất";
    Search => "Search", "Tìm kiếm";
    SearchHint => "name, id, district, park, criterion…", "tên, mã, địa bàn, KCN, tiêu chí…";
    RowsShown => "rows shown", "dòng hiển thị";
    SortHint => "Click a column heading to sort.", "Bấm vào tiêu đề cột để sắp xếp.";
    RowsCapped => "The table lists {shown} of {total} factories: must-relocate first, then encouraged, then the others, each by id. Every factory is in factories.csv and plan.gpkg.", "Bảng liệt kê {shown} trên {total} cơ sở: phải di dời trước, rồi khuyến khích di dời, rồi các cơ sở khác, theo mã. Toàn bộ cơ sở có trong factories.csv và plan.gpkg.";
    Id => "Id", "Mã";
    Name => "Name", "Tên";
    Employees => "Employees", "Lao động";
    Verdict => "Verdict", "Kết luận";
    CriteriaMet => "Criteria met", "Tiêu chí";
    Basis => "Basis", "Căn cứ";
    Evidence => "Evidence", "Chứng cứ";
    Status => "Status", "Tình trạng";
    Destination => "Destination", "Nơi đến";
    DistanceKm => "Distance (km, straight line)", "Khoảng cách (km, đường thẳng)";
    DistanceKmRoad => "Distance (km, by road)", "Khoảng cách (km, theo đường bộ)";
    MoveYear => "Move year", "Năm di dời";
    RunnersUp => "Runner-up parks", "KCN/CCN dự phòng";
    UnassignedReason => "Why no park", "Lý do chưa bố trí";
    GeneratedBy => "Made by relocate {n} from scenario {s}. {d} Works offline.", "Lập bằng relocate {n} từ kịch bản {s}. {d} Xem được khi không có mạng.";
    BasisRecord => "record", "biên bản";
    BasisScreening => "screening", "sàng lọc";
    BasisBoth => "record + screening", "biên bản + sàng lọc";
    // Comparison of plans (compare.html, changed.csv reasons).
    CompareKicker => "Relocation plans — comparison", "Phương án di dời — so sánh";
    CompareTitle => "Comparing {n} plans", "So sánh {n} phương án";
    CompareBase => "Differences are against the first plan, {n}.", "Chênh lệch tính so với phương án đầu tiên, {n}.";
    Plans => "Plans compared", "Các phương án được so sánh";
    PlanFolder => "Plan", "Phương án";
    Folder => "Folder", "Thư mục";
    Indicators => "Indicators side by side", "Các chỉ tiêu so sánh";
    Indicator => "Indicator", "Chỉ tiêu";
    Difference => "Change vs {n}", "Chênh lệch so với {n}";
    DifferencePct => "Change (%) vs {n}", "Chênh lệch (%) so với {n}";
    IndMustRelocate => "Factories that must relocate", "Cơ sở buộc phải di dời";
    IndEncouraged => "Factories encouraged to relocate", "Cơ sở được khuyến khích di dời";
    IndUnassignedMust => "Must relocate, no park found", "Buộc di dời nhưng chưa bố trí được";
    IndLandAllocated => "Land allocated (ha)", "Đất đã bố trí (ha)";
    IndGap => "Optimality gap (share)", "Khoảng cách tối ưu (tỷ lệ)";
    IndDistanceTotal => "Total distance of moves (km)", "Tổng quãng đường di dời (km)";
    IndDistanceP95 => "95th-percentile distance of a move (km)", "Quãng đường di dời bách phân vị 95 (km)";
    IndWorkersMoved => "Workers moved", "Số lao động di dời";
    IndFill => "Fill of {n} (%)", "Tỷ lệ lấp đầy {n} (%)";
    ChangesMap => "Changed moves", "Các di dời thay đổi";
    ChangesMapNote => "Only factories whose verdict, park or move year changed. A line runs from the park a factory had in {a} to the park it has in {b}; a factory that has a park in one plan only is drawn from its own location; one that keeps its park (another year or verdict) is listed in the table only.", "Chỉ các cơ sở có kết luận, KCN/CCN hoặc năm di dời thay đổi. Mỗi đường nối từ KCN/CCN của cơ sở trong {a} đến KCN/CCN trong {b}; cơ sở chỉ có KCN/CCN trong một phương án được vẽ từ vị trí của chính nó; cơ sở giữ nguyên KCN/CCN (khác năm hoặc kết luận) chỉ có trong bảng.";
    ParkClosedLegend => "Park offering no land in a later plan", "KCN/CCN không còn quỹ đất trong phương án sau";
    OldDestination => "Old destination", "Nơi đến cũ";
    NewDestination => "New destination", "Nơi đến mới";
    ChangedMoveLine => "Change of destination (width: number of factories)", "Thay đổi nơi đến (độ rộng: số cơ sở)";
    FromFactoryLine => "Factory to its only destination", "Từ cơ sở đến nơi đến duy nhất";
    NoChanges => "No factory changed: every verdict, park and move year is the same in every plan.", "Không cơ sở nào thay đổi: kết luận, KCN/CCN và năm di dời giống nhau ở mọi phương án.";
    FillHeading => "Park fill, plan by plan", "Tỷ lệ lấp đầy KCN/CCN theo từng phương án";
    FillNote => "Share of the land each park offers that the plan allocates; parks with no land allocated in any plan are left out.", "Tỷ lệ quỹ đất của từng KCN/CCN được phương án bố trí; không liệt kê KCN/CCN chưa được bố trí trong phương án nào.";
    ParkAbsent => "absent", "không có";
    ChangedHeading => "Changed factories", "Các cơ sở thay đổi";
    ChangedCount => "{n} factories differ in verdict, park or move year between the plans.", "{n} cơ sở khác nhau về kết luận, KCN/CCN hoặc năm di dời giữa các phương án.";
    Reason => "Reason", "Lý do";
    Cost => "Cost", "Chi phí";
    OnlyInHeading => "Factories in one plan only", "Cơ sở chỉ có trong một phương án";
    OnlyInCount => "{n} factory ids exist only in {s}:", "{n} mã cơ sở chỉ có trong {s}:";
    OnlyInNone => "Every factory id exists in every plan.", "Mọi mã cơ sở đều có trong mọi phương án.";
    ReasonOnlyIn => "only in {n}", "chỉ có trong {n}";
    ReasonParkClosed => "park closed", "KCN/CCN đóng (không còn quỹ đất)";
    ReasonParkOpened => "park opened", "KCN/CCN mở (có quỹ đất mới)";
    ReasonCapacityPriority => "capacity taken by a higher-priority factory", "quỹ đất đã dành cho cơ sở ưu tiên cao hơn";
    ReasonCapacityOther => "capacity taken by another factory", "quỹ đất đã dành cho cơ sở khác";
    ReasonLaterDeadline => "moves later to the same park (its opening or the deadline moved)", "di dời muộn hơn đến cùng KCN/CCN (thời điểm mở cửa hoặc thời hạn thay đổi)";
    ReasonEarlierDeadline => "moves earlier to the same park (its opening or the deadline moved)", "di dời sớm hơn đến cùng KCN/CCN (thời điểm mở cửa hoặc thời hạn thay đổi)";
    ReasonVerdictChanged => "verdict changed", "kết luận thay đổi";
    ReasonWeightChange => "weight change", "thay đổi trọng số";
    ReasonReoptimised => "re-optimised around other changes", "tối ưu lại theo các thay đổi khác";
    CompareGeneratedBy => "Made by relocate {n} from finished plan folders; nothing was re-solved. {distances} Works offline.", "Lập bằng relocate {n} từ các thư mục phương án đã hoàn thành; không giải lại bài toán. {distances} Xem được khi không có mạng.";
    NoteMixedBasis => "Distances are by road in some of these plans and straight-line in others (each plan's summary.json says which).", "Khoảng cách tính theo đường bộ ở một số phương án và theo đường thẳng ở các phương án khác (summary.json của mỗi phương án ghi rõ).";
    // Weight sensitivity (`relocate sensitivity`).
    SensKicker => "Weight sensitivity", "Độ nhạy của trọng số chi phí";
    SensIntro => "Each cost weight was moved a little and the whole allocation solved again, factories still competing for land: {n} random weight vectors within ±{s} of the scenario's weights, and each weight alone moved in steps up to ±{s}. A factory is stable when at least 90 % of the random vectors keep it in the park of the plan, moderate from 60 %, unstable below.", "Mỗi trọng số chi phí được thay đổi một chút và toàn bộ phương án bố trí được giải lại, các cơ sở vẫn cạnh tranh quỹ đất: {n} bộ trọng số ngẫu nhiên trong khoảng ±{s} quanh trọng số của kịch bản, và từng trọng số riêng lẻ thay đổi theo các bước đến ±{s}. Cơ sở ổn định khi ít nhất 90 % số bộ trọng số ngẫu nhiên giữ nó ở KCN/CCN của phương án, tương đối ổn định từ 60 %, dưới mức đó là không ổn định.";
    SensTornadoTitle => "What each weight changes, moved alone by up to ±{n}", "Tác động của từng trọng số khi thay đổi riêng lẻ đến ±{n}";
    SensCostChange => "Change in total cost, %", "Thay đổi tổng chi phí, %";
    SensMovedCount => "Factories sent to another park", "Số cơ sở chuyển sang KCN/CCN khác";
    SensMapHeading => "Stability of each relocating factory", "Mức ổn định của từng cơ sở phải di dời";
    SensLeastStable => "Least stable factories", "Các cơ sở kém ổn định nhất";
    SensFiguresHeading => "The run in figures", "Số liệu của lần chạy";
    SensSamples => "Random weight vectors", "Số bộ trọng số ngẫu nhiên";
    SensSpread => "Largest change of a weight", "Mức thay đổi lớn nhất của trọng số";
    SensSeed => "Seed", "Hạt giống ngẫu nhiên";
    SensWorstGap => "Worst proven gap among the re-solved plans", "Khoảng cách tối ưu lớn nhất đã chứng minh trong các phương án giải lại";
    SensGapNote => "The re-solved plans are proven to within the gap above, not exactly optimal: where two parks cost a factory almost the same, a small change of any weight can send it to the other one. A factory moved by the smallest steps of several weights is best read as having two near-equal parks; one moved only by large steps of one weight depends on that weight.", "Các phương án giải lại được chứng minh trong phạm vi khoảng cách tối ưu nêu trên, không phải tối ưu tuyệt đối: khi hai KCN/CCN có chi phí gần như nhau đối với một cơ sở, một thay đổi nhỏ của bất kỳ trọng số nào cũng có thể chuyển cơ sở sang nơi kia. Cơ sở bị chuyển bởi các bước nhỏ nhất của nhiều trọng số nên được hiểu là có hai KCN/CCN gần tương đương; cơ sở chỉ bị chuyển bởi các bước lớn của một trọng số thì phụ thuộc vào trọng số đó.";
    SensMeanShare => "Mean share kept", "Tỷ lệ giữ nguyên trung bình";
    SensMinShare => "Least share kept", "Tỷ lệ giữ nguyên thấp nhất";
    SensFactory => "Factory", "Cơ sở";
    SensPlanPark => "Park in the plan", "KCN/CCN trong phương án";
    SensShare => "Share kept", "Tỷ lệ giữ nguyên";
    SensParksSeen => "Parks seen", "Số KCN/CCN xuất hiện";
    SensRunnerUp => "Runner-up park (share)", "KCN/CCN thay thế (tỷ lệ)";
    SensLeastChange => "Least single-weight change that moves it", "Thay đổi nhỏ nhất của một trọng số làm nó chuyển đi";
    SensClass => "Class", "Mức";
    SensNone => "none within the spread", "không có trong phạm vi thay đổi";
    SensUnassigned => "unassigned", "chưa bố trí";
    SensNoFactories => "No factory relocates in this scenario.", "Kịch bản này không có cơ sở nào phải di dời.";
    SensShownOf => "The {n} least stable of {s}, lowest share first.", "{n} cơ sở kém ổn định nhất trong số {s}, tỷ lệ thấp nhất trước.";
    ClassStable => "stable", "ổn định";
    ClassModerate => "moderate", "tương đối ổn định";
    ClassUnstable => "unstable", "không ổn định";
    WeightDistance => "Distance", "Khoảng cách";
    WeightWorkforce => "Workforce commute", "Quãng đường đi làm của người lao động";
    WeightCluster => "Outside the park's sector cluster", "Ngoài cụm ngành của KCN/CCN";
    WeightClass => "Hazard class unsuited to the park", "Cấp nguy hiểm không phù hợp KCN/CCN";
    WeightWaiting => "Waiting for the park to be ready", "Chờ KCN/CCN sẵn sàng";
}

/// The label of a planned land use.
pub fn planned_use(lang: Lang, u: crate::model::PlannedUse) -> &'static str {
    use crate::model::PlannedUse as U;
    let t = match u {
        U::Industrial => Term::UseIndustrial,
        U::Residential => Term::UseResidential,
        U::Commercial => Term::UseCommercial,
        U::Mixed => Term::UseMixed,
        U::Public => Term::UsePublic,
        U::Green => Term::UseGreen,
        U::Agricultural => Term::UseAgricultural,
        U::Infrastructure => Term::UseInfrastructure,
        U::Other => Term::UseOther,
    };
    term(lang, t)
}

/// A number with the language's separators: `1,234.5` in English, `1.234,5` in Vietnamese.
/// Fixed decimals, so the same value always gives the same text.
/// The distance column heading and the sentence saying how distances are measured, for a plan
/// measured along roads (`road`) or in straight lines.
pub fn distance_words(road: bool) -> (Term, Term) {
    if road {
        (Term::DistanceKmRoad, Term::NoteByRoad)
    } else {
        (Term::DistanceKm, Term::NoteStraightLine)
    }
}

/// A count of factories placed and how it stands against the most any plan places: "2,401
/// (proven: no plan places more)" or "2,401 (any plan places at most 2 more)".
pub fn placed_count(lang: Lang, placed: usize, bound: usize) -> String {
    let n = number(lang, placed as f64, 0);
    if bound <= placed {
        term(lang, Term::CountProven).replace("{n}", &n)
    } else {
        term(lang, Term::CountAtMost)
            .replace("{n}", &n)
            .replace("{m}", &number(lang, (bound - placed) as f64, 0))
    }
}

/// The encouraged count: as `placed_count` once the must-relocate count is proven; before, no
/// bound below every encouraged factory holds (a plan placing more must-relocate factories may
/// take their land), and the sentence says so instead of an "at most" that reads as a finding.
pub fn encouraged_count(lang: Lang, placed: usize, bound: usize, must_proven: bool) -> String {
    if must_proven {
        placed_count(lang, placed, bound)
    } else {
        term(lang, Term::CountAfterMust).replace("{n}", &number(lang, placed as f64, 0))
    }
}

pub fn number(lang: Lang, value: f64, decimals: usize) -> String {
    if !value.is_finite() {
        return "–".to_string();
    }
    let text = format!("{:.*}", decimals, value.abs());
    let (int_part, frac_part) = match text.split_once('.') {
        Some((i, f)) => (i.to_string(), Some(f.to_string())),
        None => (text.clone(), None),
    };
    let (group, point) = match lang {
        Lang::En => (',', '.'),
        Lang::Vi => ('.', ','),
    };
    let digits: Vec<char> = int_part.chars().collect();
    let mut grouped = String::new();
    for (i, d) in digits.iter().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            grouped.push(group);
        }
        grouped.push(*d);
    }
    // "-0.0" would read as a negative amount; a value that rounds to zero has no sign.
    let is_zero = text.chars().all(|c| c == '0' || c == '.');
    let sign = if value < 0.0 && !is_zero { "-" } else { "" };
    match frac_part {
        Some(f) => format!("{sign}{grouped}{point}{f}"),
        None => format!("{sign}{grouped}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_verdict_has_a_label_in_both_languages() {
        for v in [Verdict::MustRelocate, Verdict::Encouraged, Verdict::MayStay, Verdict::OutOfScope]
        {
            assert!(!verdict(Lang::En, v).is_empty());
            assert!(!verdict(Lang::Vi, v).is_empty());
            assert_ne!(verdict(Lang::En, v), verdict(Lang::Vi, v));
        }
    }

    #[test]
    fn every_term_is_translated() {
        for t in Term::ALL {
            assert!(!term(Lang::En, *t).is_empty(), "{t:?}");
            assert!(!term(Lang::Vi, *t).is_empty(), "{t:?}");
        }
        let same: Vec<_> =
            Term::ALL.iter().filter(|t| term(Lang::En, **t) == term(Lang::Vi, **t)).collect();
        assert!(same.is_empty(), "untranslated: {same:?}");
    }

    #[test]
    fn placed_counts_say_proven_or_how_many_more_at_most() {
        assert_eq!(placed_count(Lang::En, 2401, 2401), "2,401 (proven: no plan places more)");
        assert_eq!(placed_count(Lang::En, 2401, 2403), "2,401 (any plan places at most 2 more)");
        assert_eq!(
            encouraged_count(Lang::En, 10, 98, false),
            "10 (bounded once the must-relocate count is proven)"
        );
        assert_eq!(encouraged_count(Lang::En, 63, 64, true), "63 (any plan places at most 1 more)");
        assert!(placed_count(Lang::Vi, 2401, 2403).starts_with("2.401 "));
    }

    #[test]
    fn numbers_use_the_language_separators() {
        assert_eq!(number(Lang::En, 1234567.891, 1), "1,234,567.9");
        assert_eq!(number(Lang::Vi, 1234567.891, 1), "1.234.567,9");
        assert_eq!(number(Lang::En, 999.0, 0), "999");
        assert_eq!(number(Lang::En, -1000.0, 0), "-1,000");
        assert_eq!(number(Lang::En, -0.0001, 2), "0.00");
        assert_eq!(number(Lang::Vi, f64::NAN, 2), "–");
    }
}
