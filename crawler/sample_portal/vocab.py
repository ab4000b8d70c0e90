"""Word lists for the generated news: places, departments, sources and people."""

from __future__ import annotations

# The 16 prefectures of Yunnan with a few of their counties and their portal domains.
YN_PREFECTURES: dict[str, tuple[str, tuple[str, ...], str]] = {
    "昆明": ("昆明市", ("呈贡区", "安宁市", "宜良县", "石林彝族自治县"), "www.km.gov.cn"),
    "曲靖": ("曲靖市", ("会泽县", "宣威市", "陆良县", "罗平县"), "www.qj.gov.cn"),
    "玉溪": ("玉溪市", ("红塔区", "澄江市", "通海县", "新平彝族傣族自治县"), "www.yuxi.gov.cn"),
    "保山": ("保山市", ("隆阳区", "腾冲市", "施甸县", "龙陵县"), "www.baoshan.gov.cn"),
    "昭通": ("昭通市", ("昭阳区", "镇雄县", "彝良县", "鲁甸县"), "www.zt.gov.cn"),
    "丽江": ("丽江市", ("古城区", "玉龙纳西族自治县", "永胜县", "华坪县"), "www.lijiang.gov.cn"),
    "普洱": ("普洱市", ("思茅区", "宁洱哈尼族彝族自治县", "澜沧拉祜族自治县", "景谷傣族彝族自治县"),
             "www.puershi.gov.cn"),
    "临沧": ("临沧市", ("临翔区", "凤庆县", "双江拉祜族佤族布朗族傣族自治县", "耿马傣族佤族自治县"),
             "www.lincang.gov.cn"),
    "楚雄": ("楚雄州", ("楚雄市", "禄丰市", "元谋县", "武定县"), "www.cxz.gov.cn"),
    "红河": ("红河州", ("蒙自市", "个旧市", "弥勒市", "元阳县"), "www.hh.gov.cn"),
    "文山": ("文山州", ("文山市", "砚山县", "丘北县", "富宁县"), "www.ynws.gov.cn"),
    "西双版纳": ("西双版纳州", ("景洪市", "勐海县", "勐腊县"), "www.xsbn.gov.cn"),
    "大理": ("大理州", ("大理市", "祥云县", "宾川县", "剑川县"), "www.dali.gov.cn"),
    "德宏": ("德宏州", ("芒市", "瑞丽市", "盈江县", "陇川县"), "www.dh.gov.cn"),
    "怒江": ("怒江州", ("泸水市", "福贡县", "贡山独龙族怒族自治县", "兰坪白族普米族自治县"),
             "www.nujiang.gov.cn"),
    "迪庆": ("迪庆州", ("香格里拉市", "德钦县", "维西傈僳族自治县"), "www.diqing.gov.cn"),
}

# The 11 cities of Zhejiang with a few of their districts and counties.
ZJ_CITIES: dict[str, tuple[str, tuple[str, ...], str]] = {
    "杭州": ("杭州市", ("余杭区", "萧山区", "桐庐县", "淳安县"), "www.hangzhou.gov.cn"),
    "宁波": ("宁波市", ("鄞州区", "北仑区", "余姚市", "象山县"), "www.ningbo.gov.cn"),
    "温州": ("温州市", ("鹿城区", "瑞安市", "乐清市", "永嘉县"), "www.wenzhou.gov.cn"),
    "嘉兴": ("嘉兴市", ("南湖区", "海宁市", "桐乡市", "嘉善县"), "www.jiaxing.gov.cn"),
    "湖州": ("湖州市", ("吴兴区", "长兴县", "德清县", "安吉县"), "www.huzhou.gov.cn"),
    "绍兴": ("绍兴市", ("越城区", "柯桥区", "诸暨市", "新昌县"), "www.sx.gov.cn"),
    "金华": ("金华市", ("婺城区", "义乌市", "东阳市", "永康市"), "www.jinhua.gov.cn"),
    "衢州": ("衢州市", ("柯城区", "江山市", "龙游县", "开化县"), "www.qz.gov.cn"),
    "舟山": ("舟山市", ("定海区", "普陀区", "岱山县", "嵊泗县"), "www.zhoushan.gov.cn"),
    "台州": ("台州市", ("椒江区", "温岭市", "临海市", "天台县"), "www.zjtz.gov.cn"),
    "丽水": ("丽水市", ("莲都区", "龙泉市", "青田县", "缙云县"), "www.lishui.gov.cn"),
}

YN_DEPARTMENTS: list[tuple[str, str]] = [
    ("省发展改革委", "云南省发展改革委"),
    ("省工业和信息化厅", "云南省工业和信息化厅"),
    ("省教育厅", "云南省教育厅"),
    ("省科技厅", "云南省科技厅"),
    ("省财政厅", "云南省财政厅"),
    ("省人力资源社会保障厅", "云南省人力资源社会保障厅"),
    ("省自然资源厅", "云南省自然资源厅"),
    ("省生态环境厅", "云南省生态环境厅"),
    ("省住房城乡建设厅", "云南省住房城乡建设厅"),
    ("省交通运输厅", "云南省交通运输厅"),
    ("省农业农村厅", "云南省农业农村厅"),
    ("省商务厅", "云南省商务厅"),
    ("省文化和旅游厅", "云南省文化和旅游厅"),
    ("省卫生健康委", "云南省卫生健康委"),
    ("省应急管理厅", "云南省应急管理厅"),
    ("省市场监管局", "云南省市场监管局"),
    ("省乡村振兴局", "云南省乡村振兴局"),
    ("省林草局", "云南省林草局"),
]

ZJ_DEPARTMENTS: list[tuple[str, str]] = [
    ("省发展改革委", "浙江省发展改革委"),
    ("省经信厅", "浙江省经信厅"),
    ("省教育厅", "浙江省教育厅"),
    ("省科技厅", "浙江省科技厅"),
    ("省财政厅", "浙江省财政厅"),
    ("省人力社保厅", "浙江省人力社保厅"),
    ("省自然资源厅", "浙江省自然资源厅"),
    ("省生态环境厅", "浙江省生态环境厅"),
    ("省建设厅", "浙江省建设厅"),
    ("省交通运输厅", "浙江省交通运输厅"),
    ("省农业农村厅", "浙江省农业农村厅"),
    ("省商务厅", "浙江省商务厅"),
    ("省文化和旅游厅", "浙江省文化和旅游厅"),
    ("省卫生健康委", "浙江省卫生健康委"),
    ("省应急管理厅", "浙江省应急管理厅"),
    ("省市场监管局", "浙江省市场监管局"),
    ("省大数据局", "浙江省大数据发展管理局"),
]

# Sources of provincial news, the provincial daily weighted up.
YN_SOURCES = ["云南日报", "云南日报", "云南日报", "新华社", "省政府办公厅", "云南网",
              "云南省发展改革委"]
ZJ_SOURCES = ["浙江日报", "浙江日报", "浙江日报", "新华社", "省政府办公厅", "浙江在线",
              "浙江省发展改革委"]

SURNAMES = ("王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑"
            "谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏")
GIVEN = [
    "晓蓉", "建国", "海燕", "志强", "丽华", "文斌", "雪梅", "俊杰", "国华", "春燕", "明辉", "永红",
    "振宇", "秀英", "德明", "思远", "立新", "红梅", "卫东", "晨曦", "佳怡", "子涵", "浩然", "静",
    "磊", "勇", "敏", "涛", "军", "芳", "宁", "燕",
]
# Given names with characters that are in GBK but not in GB2312.
GBK_ONLY_GIVEN = ["喆", "镕", "珺", "堃", "玥", "璟", "旻", "彧", "翀", "琇", "嘉喆", "子堃",
                  "雅珺", "宏镕", "晓璟"]
GBK_ONLY_CHARS = "喆镕珺堃玥璟旻彧翀琇"

POSTS_YN = ["州委书记", "州长", "市委书记", "市长", "副州长", "副市长", "县委书记", "县长"]
POSTS_PROVINCE = ["副省长", "省政府秘书长", "省政府副秘书长"]
POSTS_DEPT = ["党组书记、厅长", "副厅长", "党组成员、副主任", "局长", "副局长", "一级巡视员"]
OFFSITE_LINKS: list[tuple[str, str]] = [
    ("中国政府网", "https://www.gov.cn/"),
    ("国务院客户端", "https://www.gov.cn/home/2016-05/11/content_5042201.htm"),
    ("四川省人民政府", "https://www.sc.gov.cn/"),
    ("贵州省人民政府", "https://www.guizhou.gov.cn/"),
    ("广西壮族自治区人民政府", "http://www.gxzf.gov.cn/"),
    ("西藏自治区人民政府", "http://www.xizang.gov.cn/"),
    ("重庆市人民政府", "https://www.cq.gov.cn/"),
    ("江苏省人民政府", "https://www.jiangsu.gov.cn/"),
    ("上海市人民政府", "https://www.shanghai.gov.cn/"),
    ("安徽省人民政府", "https://www.ah.gov.cn/"),
    ("福建省人民政府", "https://www.fujian.gov.cn/"),
    ("江西省人民政府", "http://www.jiangxi.gov.cn/"),
]

MINISTRIES: list[tuple[str, str]] = [
    ("外交部", "https://www.mfa.gov.cn/"), ("国防部", "http://www.mod.gov.cn/"),
    ("国家发展改革委", "https://www.ndrc.gov.cn/"), ("教育部", "http://www.moe.gov.cn/"),
    ("科技部", "https://www.most.gov.cn/"), ("工业和信息化部", "https://www.miit.gov.cn/"),
    ("国家民委", "https://www.neac.gov.cn/"), ("公安部", "https://www.mps.gov.cn/"),
    ("民政部", "https://www.mca.gov.cn/"), ("司法部", "https://www.moj.gov.cn/"),
    ("财政部", "http://www.mof.gov.cn/"), ("人力资源社会保障部", "http://www.mohrss.gov.cn/"),
    ("自然资源部", "https://www.mnr.gov.cn/"), ("生态环境部", "https://www.mee.gov.cn/"),
    ("住房城乡建设部", "https://www.mohurd.gov.cn/"), ("交通运输部", "https://www.mot.gov.cn/"),
    ("水利部", "http://www.mwr.gov.cn/"), ("农业农村部", "http://www.moa.gov.cn/"),
    ("商务部", "http://www.mofcom.gov.cn/"), ("文化和旅游部", "https://www.mct.gov.cn/"),
    ("国家卫生健康委", "http://www.nhc.gov.cn/"), ("退役军人事务部", "https://www.mva.gov.cn/"),
    ("应急管理部", "https://www.mem.gov.cn/"), ("中国人民银行", "http://www.pbc.gov.cn/"),
    ("审计署", "https://www.audit.gov.cn/"), ("国务院国资委", "http://www.sasac.gov.cn/"),
    ("海关总署", "http://www.customs.gov.cn/"), ("国家税务总局", "https://www.chinatax.gov.cn/"),
    ("国家市场监督管理总局", "https://www.samr.gov.cn/"), ("国家统计局", "https://www.stats.gov.cn/"),
]

PROVINCES: list[tuple[str, str]] = [
    ("北京", "https://www.beijing.gov.cn/"), ("天津", "https://www.tj.gov.cn/"),
    ("河北", "http://www.hebei.gov.cn/"), ("山西", "http://www.shanxi.gov.cn/"),
    ("内蒙古", "https://www.nmg.gov.cn/"), ("辽宁", "https://www.ln.gov.cn/"),
    ("吉林", "http://www.jl.gov.cn/"), ("黑龙江", "https://www.hlj.gov.cn/"),
    ("上海", "https://www.shanghai.gov.cn/"), ("江苏", "http://www.jiangsu.gov.cn/"),
    ("浙江", "https://www.zj.gov.cn/"), ("安徽", "https://www.ah.gov.cn/"),
    ("福建", "http://www.fujian.gov.cn/"), ("江西", "http://www.jiangxi.gov.cn/"),
    ("山东", "http://www.shandong.gov.cn/"), ("河南", "https://www.henan.gov.cn/"),
    ("湖北", "https://www.hubei.gov.cn/"), ("湖南", "http://www.hunan.gov.cn/"),
    ("广东", "http://www.gd.gov.cn/"), ("广西", "http://www.gxzf.gov.cn/"),
    ("海南", "https://www.hainan.gov.cn/"), ("重庆", "http://www.cq.gov.cn/"),
    ("四川", "https://www.sc.gov.cn/"), ("贵州", "https://www.guizhou.gov.cn/"),
    ("云南", "https://www.yn.gov.cn/"), ("西藏", "http://www.xizang.gov.cn/"),
    ("陕西", "http://www.shaanxi.gov.cn/"), ("甘肃", "http://www.gansu.gov.cn/"),
    ("青海", "http://www.qinghai.gov.cn/"), ("宁夏", "https://www.nx.gov.cn/"),
    ("新疆", "http://www.xinjiang.gov.cn/"),
]
