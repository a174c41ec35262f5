"""The app's own words in Chinese; exercise texts and cues come translated in the templates.

English text is the key, so a missing translation falls back to English.
"""

from __future__ import annotations

_ZH = {
    "Choose an exercise": "选择一个练习",
    "Start": "开始",
    "Back": "返回",
    "Reps": "次数",
    "Set {0} of {1}": "第 {0} 组，共 {1} 组",
    "Last rep": "上一次",
    "partial": "不完整",
    "Rest": "休息",
    "Next: set {0} of {1}": "下一组：第 {0} 组，共 {1} 组",
    "Skip rest (N)": "跳过休息 (N)",
    "Session summary": "训练总结",
    "Paused": "已暂停",
    "Press Space to continue": "按空格键继续",
    "Tap Resume to continue": "点击“继续”接着练习",
    "Pause": "暂停",
    "Resume": "继续",
    "Finish": "结束",
    "Skip rest": "跳过休息",
    "More exercises": "更多练习",
    "Done": "完成",
    "Welcome! Tap your name to start": "欢迎！点击您的名字开始",
    "Welcome! Tap your code to start": "欢迎！点击您的编号开始",
    "Hello, {0}": "您好，{0}",
    "Not me": "不是我",
    "Today's exercises": "今天的练习",
    "Get ready": "准备",
    "Camera placement": "摄像头位置",
    "What to do": "怎么做",
    "side view": "侧面视角",
    "front view": "正面视角",
    "New exercise": "新的练习",
    "Quit": "退出",
    "Average quality": "平均质量",
    "Partial reps": "不完整次数",
    "Most frequent faults": "最常见的问题",
    "Range of motion": "活动范围",
    "in range": "达到目标",
    "almost": "接近",
    "out of range": "未达到",
    "not measured": "未测量",
    "good": "好",
    "fair": "一般",
    "poor": "差",
    "Can't see: {0}": "看不到：{0}",
    "QUALITY THIS SET": "本组质量",
    "CORRECTION": "纠正",
    "CAMERA VIEW": "摄像头画面",
    "HOLD": "保持",
    "TIP": "提示",
    "Sets": "组数",
    "Step back into view to continue": "请回到画面中继续",
    "Finish this exercise?": "结束这个练习吗？",
    "Reps done: {0}. Everything so far is saved.": "已完成 {0} 次。目前的记录都已保存。",
    "Keep going": "继续练习",
    "Still there?": "您还在吗？",
    "This session ends in {seconds} s. Your reps so far are saved.": "本次练习将在 {seconds} 秒后结束。已完成的次数都已保存。",
    "I'm here": "我在",
}


def tr(text: str, language: str, *args: object) -> str:
    template = _ZH.get(text, text) if language == "zh" else text
    return template.format(*args) if args else template
