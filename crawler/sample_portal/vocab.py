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

# --- the portals added for the other CMS families (Jiangsu, Guangdong, Shaanxi, Gansu) -------

JS_CITIES: dict[str, tuple[str, tuple[str, ...], str]] = {
    "南京": ("南京市", ("玄武区", "江宁区", "浦口区", "溧水区"), "www.nanjing.gov.cn"),
    "无锡": ("无锡市", ("梁溪区", "江阴市", "宜兴市", "锡山区"), "www.wuxi.gov.cn"),
    "徐州": ("徐州市", ("鼓楼区", "邳州市", "新沂市", "沛县"), "www.xz.gov.cn"),
    "常州": ("常州市", ("天宁区", "武进区", "溧阳市", "金坛区"), "www.changzhou.gov.cn"),
    "苏州": ("苏州市", ("姑苏区", "昆山市", "常熟市", "张家港市"), "www.suzhou.gov.cn"),
    "南通": ("南通市", ("崇川区", "海门区", "如皋市", "启东市"), "www.nantong.gov.cn"),
    "连云港": ("连云港市", ("海州区", "赣榆区", "东海县", "灌云县"), "www.lyg.gov.cn"),
    "淮安": ("淮安市", ("清江浦区", "淮安区", "盱眙县", "金湖县"), "www.huaian.gov.cn"),
    "盐城": ("盐城市", ("亭湖区", "东台市", "大丰区", "射阳县"), "www.yancheng.gov.cn"),
    "扬州": ("扬州市", ("广陵区", "邗江区", "仪征市", "高邮市"), "www.yangzhou.gov.cn"),
    "镇江": ("镇江市", ("京口区", "丹阳市", "扬中市", "句容市"), "www.zhenjiang.gov.cn"),
    "泰州": ("泰州市", ("海陵区", "兴化市", "靖江市", "泰兴市"), "www.taizhou.gov.cn"),
    "宿迁": ("宿迁市", ("宿城区", "沭阳县", "泗阳县", "泗洪县"), "www.suqian.gov.cn"),
}

GD_CITIES: dict[str, tuple[str, tuple[str, ...], str]] = {
    "广州": ("广州市", ("天河区", "黄埔区", "番禺区", "从化区"), "www.gz.gov.cn"),
    "深圳": ("深圳市", ("福田区", "南山区", "宝安区", "龙岗区"), "www.sz.gov.cn"),
    "珠海": ("珠海市", ("香洲区", "斗门区", "金湾区"), "www.zhuhai.gov.cn"),
    "汕头": ("汕头市", ("金平区", "龙湖区", "潮阳区", "南澳县"), "www.shantou.gov.cn"),
    "佛山": ("佛山市", ("禅城区", "南海区", "顺德区", "高明区"), "www.foshan.gov.cn"),
    "韶关": ("韶关市", ("浈江区", "乐昌市", "南雄市", "仁化县"), "www.sg.gov.cn"),
    "湛江": ("湛江市", ("赤坎区", "雷州市", "廉江市", "徐闻县"), "www.zhanjiang.gov.cn"),
    "肇庆": ("肇庆市", ("端州区", "高要区", "四会市", "广宁县"), "www.zhaoqing.gov.cn"),
    "江门": ("江门市", ("蓬江区", "台山市", "开平市", "恩平市"), "www.jiangmen.gov.cn"),
    "梅州": ("梅州市", ("梅江区", "兴宁市", "大埔县", "蕉岭县"), "www.meizhou.gov.cn"),
    "惠州": ("惠州市", ("惠城区", "惠阳区", "博罗县", "龙门县"), "www.huizhou.gov.cn"),
    "清远": ("清远市", ("清城区", "英德市", "连州市", "佛冈县"), "www.gdqy.gov.cn"),
}

SN_CITIES: dict[str, tuple[str, tuple[str, ...], str]] = {
    "西安": ("西安市", ("雁塔区", "长安区", "临潼区", "周至县"), "www.xa.gov.cn"),
    "宝鸡": ("宝鸡市", ("渭滨区", "陈仓区", "凤翔区", "眉县"), "www.baoji.gov.cn"),
    "咸阳": ("咸阳市", ("秦都区", "兴平市", "彬州市", "礼泉县"), "www.xianyang.gov.cn"),
    "铜川": ("铜川市", ("王益区", "印台区", "耀州区", "宜君县"), "www.tongchuan.gov.cn"),
    "渭南": ("渭南市", ("临渭区", "韩城市", "华阴市", "富平县"), "www.weinan.gov.cn"),
    "延安": ("延安市", ("宝塔区", "延川县", "黄陵县", "洛川县"), "www.yanan.gov.cn"),
    "榆林": ("榆林市", ("榆阳区", "神木市", "府谷县", "靖边县"), "www.yl.gov.cn"),
    "汉中": ("汉中市", ("汉台区", "城固县", "洋县", "勉县"), "www.hanzhong.gov.cn"),
    "安康": ("安康市", ("汉滨区", "旬阳市", "平利县", "紫阳县"), "www.ankang.gov.cn"),
    "商洛": ("商洛市", ("商州区", "洛南县", "柞水县", "山阳县"), "www.shangluo.gov.cn"),
}

JS_DEPARTMENTS: list[tuple[str, str]] = [
    ("省发展改革委", "江苏省发展改革委"), ("省工业和信息化厅", "江苏省工业和信息化厅"),
    ("省教育厅", "江苏省教育厅"), ("省科技厅", "江苏省科技厅"), ("省商务厅", "江苏省商务厅"),
    ("省农业农村厅", "江苏省农业农村厅"), ("省生态环境厅", "江苏省生态环境厅"),
]
GD_DEPARTMENTS: list[tuple[str, str]] = [
    ("省发展改革委", "广东省发展改革委"), ("省工业和信息化厅", "广东省工业和信息化厅"),
    ("省教育厅", "广东省教育厅"), ("省科技厅", "广东省科技厅"), ("省商务厅", "广东省商务厅"),
    ("省农业农村厅", "广东省农业农村厅"), ("省文化和旅游厅", "广东省文化和旅游厅"),
]
SN_DEPARTMENTS: list[tuple[str, str]] = [
    ("省发展改革委", "陕西省发展改革委"), ("省工业和信息化厅", "陕西省工业和信息化厅"),
    ("省科技厅", "陕西省科技厅"), ("省农业农村厅", "陕西省农业农村厅"),
    ("省文化和旅游厅", "陕西省文化和旅游厅"),
]

JS_SOURCES = ["新华日报", "新华日报", "新华日报", "新华社", "省政府办公厅", "交汇点新闻",
              "江苏省发展改革委"]
GD_SOURCES = ["南方日报", "南方日报", "南方日报", "新华社", "省政府办公厅", "南方+",
              "广东省发展改革委"]
SN_SOURCES = ["陕西日报", "陕西日报", "陕西日报", "新华社", "省政府办公厅", "陕西传媒网",
              "陕西省发展改革委"]
