/// Chinese personal names: common surnames weighted towards those frequent in Xinchang
/// (俞、梁、潘、吕、竺 …), and given-name characters by sex.
enum Names {
    static let surnames = Weighted<String>([
        ("王", 60), ("张", 45), ("陈", 50), ("俞", 30), ("梁", 25), ("潘", 22), ("吕", 20), ("黄", 20),
        ("杨", 18), ("石", 15), ("丁", 12), ("袁", 12), ("竺", 10), ("李", 40), ("刘", 20), ("赵", 12),
        ("吴", 18), ("周", 16), ("徐", 16), ("孙", 10), ("马", 8), ("朱", 12), ("胡", 14), ("郭", 6),
        ("何", 8), ("林", 10), ("高", 8), ("罗", 6), ("郑", 8), ("谢", 6), ("宋", 6), ("唐", 5),
        ("许", 6), ("韩", 5), ("冯", 5), ("邓", 4), ("曹", 5), ("彭", 4), ("曾", 4), ("董", 6),
        ("蒋", 6), ("蔡", 5), ("余", 6), ("杜", 4), ("叶", 8), ("程", 5), ("苏", 4), ("魏", 4),
        ("任", 4), ("沈", 8), ("姚", 6), ("卢", 4), ("姜", 4), ("钟", 3), ("陆", 5), ("汪", 5),
        ("范", 4), ("金", 6), ("方", 5), ("邵", 5), ("钱", 5), ("章", 6), ("毛", 4), ("楼", 4),
        ("应", 2), ("裘", 4), ("盛", 3), ("童", 3), ("戴", 3), ("孔", 2), ("汤", 3),
    ])

    static let male = Array("伟强磊军洋勇杰涛明超刚平辉鹏华飞斌波宇浩俊峰建国志文海林晨博凯鑫龙晓东亮成江永良忠福荣伦新春")
        .map(String.init)
    static let female = Array("芳娜敏静丽艳娟霞秀英玲燕萍红梅琳婷雪慧佳颖倩欣怡蕾璐洁琴云莉萱悦婧雯晶妍露月菊兰素彩")
        .map(String.init)

    static func person(_ rng: inout SplitMix64, male isMale: Bool) -> String {
        let pool = isMale ? male : female
        let surname = surnames.pick(&rng)
        return rng.chance(0.25) ? surname + rng.pick(pool) : surname + rng.pick(pool) + rng.pick(pool)
    }

    /// Mobile number segments of the three carriers; all match `1[3-9]`.
    static let mobilePrefixes = [
        134, 135, 136, 137, 138, 139, 147, 150, 151, 152, 157, 158, 159, 178, 182, 183, 187, 188, 198,
        130, 131, 132, 155, 156, 166, 175, 176, 185, 186, 133, 153, 173, 177, 180, 181, 189, 191, 199,
    ]

    static func mobile(_ rng: inout SplitMix64) -> String {
        Format.padded(rng.pick(mobilePrefixes) * 100_000_000 + rng.below(100_000_000), width: 11)
    }

    /// Ethnic groups as recorded at hotel check-in; 畲族 is Zhejiang's largest minority.
    static let ethnicities = Weighted<String>([
        ("汉族", 975), ("畲族", 6), ("回族", 4), ("土家族", 4), ("苗族", 4), ("满族", 3), ("壮族", 2), ("蒙古族", 2),
    ])
}
