<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh">
<context>
    <name></name>
    <message>
        <source>Your answers could not be saved; please tell your therapist.</source>
        <translation>您的回答未能保存，请告诉您的治疗师。</translation>
    </message>
    <message>
        <source>Your answers are not saved yet: this computer cannot write them now. The app saves them as soon as it can; please tell your therapist.</source>
        <translation>您的回答还没有保存：这台电脑现在无法写入。程序一有条件就会保存；请告诉您的治疗师。</translation>
    </message>
    <message>
        <source>Your answers are saved on this computer; they will reach your therapist when the database is back.</source>
        <translation>您的回答已保存在这台电脑上，数据库恢复后会送达您的治疗师。</translation>
    </message>
    <message>
        <source>Thank you, your answers are saved.</source>
        <translation>谢谢，您的回答已保存。</translation>
    </message>
    <message>
        <source>Staff</source>
        <translation>工作人员</translation>
    </message>
    <message>
        <source>Welcome! Tap your name to start</source>
        <translation>欢迎！点击您的名字开始</translation>
    </message>
    <message>
        <source>Welcome! Tap your code to start</source>
        <translation>欢迎！点击您的编号开始</translation>
    </message>
    <message>
        <source>Nobody is expected today. Please ask your therapist.</source>
        <translation>今天没有预约的患者，请询问您的治疗师。</translation>
    </message>
    <message>
        <source>The patient list is not available right now (the database does not answer). Retrying…</source>
        <translation>暂时无法读取患者名单（数据库没有响应）。正在重试…</translation>
    </message>
    <message>
        <source>Not me</source>
        <translation>不是我</translation>
    </message>
    <message>
        <source>Standard tests</source>
        <translation>标准测试</translation>
    </message>
    <message>
        <source>Hello, {0}</source>
        <translation>您好，{0}</translation>
    </message>
    <message>
        <source>Today&apos;s exercises</source>
        <translation>今天的练习</translation>
    </message>
    <message>
        <source>No exercise program yet. Your therapist will set one up.</source>
        <translation>还没有练习计划，您的治疗师会为您制定。</translation>
    </message>
    <message>
        <source>✓ done today</source>
        <translation>✓ 今天已完成</translation>
    </message>
    <message>
        <source>{0} of {1} reps done today</source>
        <translation>今天已完成 {0} / {1} 次</translation>
    </message>
    <message>
        <source>Staff only: enter the therapist PIN</source>
        <translation>仅限工作人员：请输入治疗师密码</translation>
    </message>
    <message>
        <source>OK</source>
        <translation>确定</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Checking…</source>
        <translation>正在核对……</translation>
    </message>
    <message>
        <source>Too many wrong PINs: locked until {0}</source>
        <translation>密码错误次数过多：锁定至 {0}</translation>
    </message>
    <message>
        <source>No therapist PIN is set: run `rehab-coach patients set-pin`</source>
        <translation>尚未设置治疗师密码：请运行 `rehab-coach patients set-pin`</translation>
    </message>
    <message>
        <source>Wrong PIN; {0} attempt(s) left before a lockout</source>
        <translation>密码错误；再错 {0} 次将被锁定</translation>
    </message>
    <message>
        <source>Therapist screens (patients, programs, sessions)</source>
        <translation>治疗师界面（患者、计划、训练记录）</translation>
    </message>
    <message>
        <source>Back to check-in</source>
        <translation>返回签到</translation>
    </message>
    <message>
        <source>Quit the kiosk</source>
        <translation>退出自助终端</translation>
    </message>
    <message>
        <source>After Quit the kiosk stays closed until it is started again: at the next login, or when its service is started.</source>
        <translation>退出后自助终端将保持关闭，直到再次启动：下次登录时，或启动其服务时。</translation>
    </message>
    <message>
        <source>Start</source>
        <translation>开始</translation>
    </message>
    <message>
        <source>Do a test only with your therapist or a helper beside you.</source>
        <translation>请仅在治疗师或陪护人员在旁时进行测试。</translation>
    </message>
    <message>
        <source>Back</source>
        <translation>返回</translation>
    </message>
    <message>
        <source>Skip rest</source>
        <translation>跳过休息</translation>
    </message>
    <message>
        <source>More exercises</source>
        <translation>更多练习</translation>
    </message>
    <message>
        <source>Done</source>
        <translation>完成</translation>
    </message>
    <message>
        <source>birth year</source>
        <translation>出生年份</translation>
    </message>
    <message>
        <source>check-in PIN</source>
        <translation>签到密码</translation>
    </message>
    <message>
        <source>{0}, please enter your {1}</source>
        <translation>{0}，请输入您的{1}</translation>
    </message>
    <message>
        <source>This cannot be checked right now. Please ask the staff.</source>
        <translation>现在无法核对，请询问工作人员。</translation>
    </message>
    <message>
        <source>That does not match. Please try again or ask the staff.</source>
        <translation>不匹配，请重试或询问工作人员。</translation>
    </message>
    <message>
        <source>Your program is not available right now.</source>
        <translation>暂时无法读取您的训练计划。</translation>
    </message>
    <message>
        <source>The PIN cannot be checked now: the database does not answer. Try again in a minute.</source>
        <translation>现在无法验证密码：数据库没有响应。请一分钟后再试。</translation>
    </message>
    <message>
        <source>Still there?</source>
        <translation>您还在吗？</translation>
    </message>
    <message>
        <source>This session ends in {seconds} s. Your reps so far are saved.</source>
        <translation>本次练习将在 {seconds} 秒后结束。已完成的次数都已保存。</translation>
    </message>
    <message>
        <source>I&apos;m here</source>
        <translation>我在</translation>
    </message>
    <message>
        <source>Upper body in frame, head to hips, with both hands.</source>
        <translation>上半身在画面内：从头到髋部，包括双手。</translation>
    </message>
    <message>
        <source>Whole body in frame, head to feet.</source>
        <translation>全身在画面内，从头到脚。</translation>
    </message>
    <message>
        <source>you</source>
        <translation>您</translation>
    </message>
    <message>
        <source>camera</source>
        <translation>摄像头</translation>
    </message>
    <message>
        <source>From your therapist</source>
        <translation>治疗师的话</translation>
    </message>
    <message>
        <source>Camera placement</source>
        <translation>摄像头位置</translation>
    </message>
    <message>
        <source>How it looks</source>
        <translation>动作示范</translation>
    </message>
    <message>
        <source>What to do</source>
        <translation>怎么做</translation>
    </message>
    <message>
        <source>{0} · {1} s rest between sets</source>
        <translation>{0} · 组间休息 {1} 秒</translation>
    </message>
    <message>
        <source>Have someone stand beside you for safety.</source>
        <translation>为了安全，请让人站在您身旁。</translation>
    </message>
    <message>
        <source>Measured: {0}</source>
        <translation>测量内容：{0}</translation>
    </message>
    <message>
        <source>, </source>
        <translation>、</translation>
    </message>
    <message>
        <source>Stand side-on to the camera</source>
        <translation>请侧身站立，侧面对着摄像头</translation>
    </message>
    <message>
        <source>Stand facing the camera</source>
        <translation>请面对摄像头站立</translation>
    </message>
    <message>
        <source>Step into the camera view</source>
        <translation>请走进摄像头画面</translation>
    </message>
    <message>
        <source>Move so your whole body is in the picture</source>
        <translation>请移动位置，让全身都在画面中</translation>
    </message>
    <message>
        <source>Stand still for a moment</source>
        <translation>请先站着不动一会儿</translation>
    </message>
    <message>
        <source>Go!</source>
        <translation>开始！</translation>
    </message>
    <message>
        <source>Good, hold still</source>
        <translation>很好，请保持不动</translation>
    </message>
    <message>
        <source>Turned part way: turn a little more for the best reading</source>
        <translation>身体只转了一部分：再转一点，测量会更准确</translation>
    </message>
    <message>
        <source>Pause</source>
        <translation>暂停</translation>
    </message>
    <message>
        <source>Stop</source>
        <translation>停止</translation>
    </message>
    <message>
        <source>Ready</source>
        <translation>准备好了</translation>
    </message>
    <message>
        <source>Session</source>
        <translation>练习</translation>
    </message>
    <message>
        <source>Start / Pause</source>
        <translation>开始 / 暂停</translation>
    </message>
    <message>
        <source>Finish</source>
        <translation>结束</translation>
    </message>
    <message>
        <source>Mute</source>
        <translation>静音</translation>
    </message>
    <message>
        <source>Open video…</source>
        <translation>打开视频……</translation>
    </message>
    <message>
        <source>Full screen</source>
        <translation>全屏</translation>
    </message>
    <message>
        <source>Therapist view</source>
        <translation>治疗师视图</translation>
    </message>
    <message>
        <source>Quit</source>
        <translation>退出</translation>
    </message>
    <message>
        <source>Therapist</source>
        <translation>治疗师</translation>
    </message>
    <message>
        <source>Therapist…</source>
        <translation>治疗师……</translation>
    </message>
    <message>
        <source>Choose</source>
        <translation>选择</translation>
    </message>
    <message>
        <source>Start now</source>
        <translation>立即开始</translation>
    </message>
    <message>
        <source>QUALITY THIS SET</source>
        <translation>本组质量</translation>
    </message>
    <message>
        <source>Resume</source>
        <translation>继续</translation>
    </message>
    <message>
        <source>Finish this exercise?</source>
        <translation>结束这个练习吗？</translation>
    </message>
    <message>
        <source>Keep going</source>
        <translation>继续练习</translation>
    </message>
    <message>
        <source>Get into position</source>
        <translation>请进入姿势</translation>
    </message>
    <message>
        <source>side view</source>
        <translation>侧面视角</translation>
    </message>
    <message>
        <source>front view</source>
        <translation>正面视角</translation>
    </message>
    <message>
        <source>{0} sets × {1} holds of {2} s</source>
        <translation>{0} 组 × {1} 次保持，每次 {2} 秒</translation>
    </message>
    <message>
        <source>{0} sets × {1} reps</source>
        <translation>{0} 组 × {1} 次</translation>
    </message>
    <message>
        <source>Program</source>
        <translation>计划</translation>
    </message>
    <message>
        <source>Standard test</source>
        <translation>标准测试</translation>
    </message>
    <message>
        <source>Choose an exercise</source>
        <translation>选择一个练习</translation>
    </message>
    <message>
        <source>Guest (no patient)</source>
        <translation>访客（无患者）</translation>
    </message>
    <message>
        <source>Patient</source>
        <translation>患者</translation>
    </message>
    <message>
        <source>Rest</source>
        <translation>休息</translation>
    </message>
    <message>
        <source>Skip rest (N)</source>
        <translation>跳过休息 (N)</translation>
    </message>
    <message>
        <source>Next: set {0} of {1}</source>
        <translation>下一组：第 {0} 组，共 {1} 组</translation>
    </message>
    <message>
        <source>goal reached</source>
        <translation>达到目标</translation>
    </message>
    <message>
        <source>goal not reached</source>
        <translation>未达到目标</translation>
    </message>
    <message>
        <source>longest hold {0} s · goal {1} s</source>
        <translation>最长保持 {0} 秒 · 目标 {1} 秒</translation>
    </message>
    <message>
        <source>{0}: no complete rep</source>
        <translation>{0}：没有完整的动作</translation>
    </message>
    <message>
        <source>, ideal {0}</source>
        <translation>，理想值 {0}</translation>
    </message>
    <message>
        <source>target reached</source>
        <translation>达到目标</translation>
    </message>
    <message>
        <source>target not reached</source>
        <translation>未达到目标</translation>
    </message>
    <message>
        <source>(× torso length)</source>
        <translation>（× 躯干长度）</translation>
    </message>
    <message>
        <source>best {0} {1} · target {2}</source>
        <translation>最佳{0} {1} · 目标 {2}</translation>
    </message>
    <message>
        <source>Session summary</source>
        <translation>训练总结</translation>
    </message>
    <message>
        <source>New exercise</source>
        <translation>新的练习</translation>
    </message>
    <message>
        <source>Reps</source>
        <translation>次数</translation>
    </message>
    <message>
        <source>Partial reps</source>
        <translation>不完整次数</translation>
    </message>
    <message>
        <source>Average quality</source>
        <translation>平均质量</translation>
    </message>
    <message>
        <source>Sets</source>
        <translation>组数</translation>
    </message>
    <message>
        <source>Range of motion</source>
        <translation>活动范围</translation>
    </message>
    <message>
        <source>none</source>
        <translation>无</translation>
    </message>
    <message>
        <source>Most frequent faults</source>
        <translation>最常见的问题</translation>
    </message>
    <message>
        <source>What went well</source>
        <translation>做得好的地方</translation>
    </message>
    <message>
        <source>One thing to work on</source>
        <translation>需要改进的一点</translation>
    </message>
    <message>
        <source>Saving…</source>
        <translation>正在保存……</translation>
    </message>
    <message>
        <source>report {0}</source>
        <translation>报告 {0}</translation>
    </message>
    <message>
        <source>latency {0} ms (p95 {1} ms)</source>
        <translation>延迟 {0} ms（p95 {1} ms）</translation>
    </message>
    <message>
        <source>in range</source>
        <translation>达到目标</translation>
    </message>
    <message>
        <source>almost</source>
        <translation>接近</translation>
    </message>
    <message>
        <source>out of range</source>
        <translation>未达到</translation>
    </message>
    <message>
        <source>not measured</source>
        <translation>未测量</translation>
    </message>
    <message>
        <source>ready</source>
        <translation>准备好了</translation>
    </message>
    <message>
        <source>partial</source>
        <translation>不完整</translation>
    </message>
    <message>
        <source>good</source>
        <translation>好</translation>
    </message>
    <message>
        <source>fair</source>
        <translation>一般</translation>
    </message>
    <message>
        <source>poor</source>
        <translation>差</translation>
    </message>
    <message>
        <source>no pain</source>
        <translation>不痛</translation>
    </message>
    <message>
        <source>moderate</source>
        <translation>中等</translation>
    </message>
    <message>
        <source>worst imaginable</source>
        <translation>最痛</translation>
    </message>
    <message>
        <source>nothing at all</source>
        <translation>毫不费力</translation>
    </message>
    <message>
        <source>hard</source>
        <translation>吃力</translation>
    </message>
    <message>
        <source>maximal</source>
        <translation>极限</translation>
    </message>
    <message>
        <source>How did that feel?</source>
        <translation>感觉怎么样？</translation>
    </message>
    <message>
        <source>Pain right now (0 = none, 10 = worst imaginable)</source>
        <translation>现在的疼痛（0 = 不痛，10 = 能想象的最痛）</translation>
    </message>
    <message>
        <source>How hard was it? (Borg scale, 0 = nothing, 10 = maximal)</source>
        <translation>有多吃力？（Borg 量表，0 = 毫不费力，10 = 极限）</translation>
    </message>
    <message>
        <source>Save my answers</source>
        <translation>保存我的回答</translation>
    </message>
    <message>
        <source>Skip</source>
        <translation>跳过</translation>
    </message>
    <message>
        <source>Thank you. Saving your answers…</source>
        <translation>谢谢。正在保存您的回答……</translation>
    </message>
    <message>
        <source>Skipped. You can tell your therapist how it felt next time.</source>
        <translation>已跳过。下次可以告诉您的治疗师感觉如何。</translation>
    </message>
    <message>
        <source>CORRECTION</source>
        <translation>纠正</translation>
    </message>
    <message>
        <source>CAMERA VIEW</source>
        <translation>摄像头画面</translation>
    </message>
    <message>
        <source>HOLD</source>
        <translation>保持</translation>
    </message>
    <message>
        <source>TIP</source>
        <translation>提示</translation>
    </message>
    <message>
        <source>Target</source>
        <translation>目标</translation>
    </message>
    <message>
        <source>Minimum</source>
        <translation>最低幅度</translation>
    </message>
    <message>
        <source>Hold (s)</source>
        <translation>保持（秒）</translation>
    </message>
    <message>
        <source>Rest (s)</source>
        <translation>休息（秒）</translation>
    </message>
    <message>
        <source>Progression</source>
        <translation>递进</translation>
    </message>
    <message>
        <source>auto</source>
        <translation>自动</translation>
    </message>
    <message>
        <source>both</source>
        <translation>双侧</translation>
    </message>
    <message>
        <source>alternating</source>
        <translation>交替</translation>
    </message>
    <message>
        <source>Mon</source>
        <translation>一</translation>
    </message>
    <message>
        <source>Tue</source>
        <translation>二</translation>
    </message>
    <message>
        <source>Wed</source>
        <translation>三</translation>
    </message>
    <message>
        <source>Thu</source>
        <translation>四</translation>
    </message>
    <message>
        <source>Fri</source>
        <translation>五</translation>
    </message>
    <message>
        <source>Sat</source>
        <translation>六</translation>
    </message>
    <message>
        <source>Sun</source>
        <translation>日</translation>
    </message>
    <message>
        <source>Program name (optional)</source>
        <translation>计划名称（可选）</translation>
    </message>
    <message>
        <source>d MMM yyyy</source>
        <translation>yyyy年M月d日</translation>
    </message>
    <message>
        <source>Add exercise</source>
        <translation>添加练习</translation>
    </message>
    <message>
        <source>Save program</source>
        <translation>保存计划</translation>
    </message>
    <message>
        <source>Copy from patient…</source>
        <translation>从患者复制…</translation>
    </message>
    <message>
        <source>Protocols…</source>
        <translation>方案…</translation>
    </message>
    <message>
        <source>Save as protocol…</source>
        <translation>另存为方案…</translation>
    </message>
    <message>
        <source>from</source>
        <translation>开始日期</translation>
    </message>
    <message>
        <source>{0}: the progression rule cannot be read ({1})</source>
        <translation>{0}：无法读取递进规则（{1}）</translation>
    </message>
    <message>
        <source>Progression today</source>
        <translation>今日递进</translation>
    </message>
    <message>
        <source>A rep counts only when it reaches the target; one that stops short counts as partial.</source>
        <translation>动作达到目标才算一次；未达到目标的记为不完整。</translation>
    </message>
    <message>
        <source>not a rep exercise</source>
        <translation>不是计次练习</translation>
    </message>
    <message>
        <source>wk</source>
        <translation>周</translation>
    </message>
    <message>
        <source>d</source>
        <translation>天</translation>
    </message>
    <message>
        <source>+{0} / {1} {2}, max {3}</source>
        <translation>+{0} / {1}{2}，最多{3}</translation>
    </message>
    <message>
        <source>+{0} s / {1} {2}, max {3} s</source>
        <translation>+{0}秒 / {1}{2}，最多{3}秒</translation>
    </message>
    <message>
        <source>{0} (not in the library)</source>
        <translation>{0}（不在练习库中）</translation>
    </message>
    <message>
        <source>default</source>
        <translation>默认</translation>
    </message>
    <message>
        <source>Remove</source>
        <translation>删除</translation>
    </message>
    <message>
        <source>× torso</source>
        <translation>× 躯干</translation>
    </message>
    <message>
        <source>{0}; the template&apos;s own target is {1}</source>
        <translation>{0}；模板自身的目标是 {1}</translation>
    </message>
    <message>
        <source>{0}; the template&apos;s own target is {1} torso lengths</source>
        <translation>{0}；模板自身的目标是 {1} 个躯干长度</translation>
    </message>
    <message>
        <source>the template holds {0} s</source>
        <translation>模板的保持时间为 {0} 秒</translation>
    </message>
    <message>
        <source>not a hold exercise</source>
        <translation>不是保持类练习</translation>
    </message>
    <message>
        <source>the template rests {0} s between sets</source>
        <translation>模板的组间休息为 {0} 秒</translation>
    </message>
    <message>
        <source>default ({0})</source>
        <translation>默认（{0}）</translation>
    </message>
    <message>
        <source>Not saved: {0}</source>
        <translation>未保存：{0}</translation>
    </message>
    <message>
        <source>No program yet: add exercises, copy one from another patient or start from a protocol.</source>
        <translation>还没有计划：请添加练习、从其他患者复制，或从方案开始。</translation>
    </message>
    <message>
        <source>{0}: {1}</source>
        <translation>{0}：{1}</translation>
    </message>
    <message>
        <source>Copied from {0} [{1}]: check it, then save.</source>
        <translation>已从{0} [{1}]复制：请检查后保存。</translation>
    </message>
    <message>
        <source>From the protocol “{0}”: check it, then save.</source>
        <translation>来自方案“{0}”：请检查后保存。</translation>
    </message>
    <message>
        <source>Saved as the protocol “{0}”.</source>
        <translation>已另存为方案“{0}”。</translation>
    </message>
    <message>
        <source>The dosage stays as prescribed.</source>
        <translation>剂量保持处方不变。</translation>
    </message>
    <message>
        <source>{0}: the progression&apos;s maximum ({1}) must be above where it starts ({2})</source>
        <translation>{0}：递进上限（{1}）必须高于起点（{2}）</translation>
    </message>
    <message>
        <source>Saved (version {0}).</source>
        <translation>已保存（版本 {0}）。</translation>
    </message>
    <message>
        <source>Today, {0}: your exercises</source>
        <translation>今天，{0}：您的练习</translation>
    </message>
    <message>
        <source>Next exercise day: {0}.</source>
        <translation>下一个练习日：{0}。</translation>
    </message>
    <message>
        <source>Today is a rest day.</source>
        <translation>今天是休息日。</translation>
    </message>
    <message>
        <source>{0} of {1} reps</source>
        <translation>{0} / {1} 次</translation>
    </message>
    <message>
        <source>{0}: movement quality {1} -&gt; {2}, range {3} -&gt; {4} deg over {5} sessions</source>
        <translation>{0}：动作质量 {1} -&gt; {2}，活动范围 {3} -&gt; {4} 度（共 {5} 次练习）</translation>
    </message>
    <message>
        <source>Your progress</source>
        <translation>您的进展</translation>
    </message>
    <message>
        <source>done</source>
        <translation>完成</translation>
    </message>
    <message>
        <source>part done</source>
        <translation>部分完成</translation>
    </message>
    <message>
        <source>missed</source>
        <translation>错过</translation>
    </message>
    <message>
        <source>rest day</source>
        <translation>休息日</translation>
    </message>
    <message>
        <source>{0} of {1} exercise days done in the last weeks · streak: {2}</source>
        <translation>最近几周完成了 {0} / {1} 个练习日 · 连续：{2} 天</translation>
    </message>
    <message>
        <source>movement {0} → {1}</source>
        <translation>活动幅度 {0} → {1}</translation>
    </message>
    <message>
        <source>quality {0} → {1}</source>
        <translation>质量 {0} → {1}</translation>
    </message>
    <message>
        <source>one session so far</source>
        <translation>目前只有一次练习</translation>
    </message>
    <message>
        <source>{0} of {1} holds</source>
        <translation>已完成 {0} / {1} 次保持</translation>
    </message>
    <message>
        <source>Set {0} of {1}</source>
        <translation>第 {0} 组，共 {1} 组</translation>
    </message>
    <message>
        <source>Last rep</source>
        <translation>上一次</translation>
    </message>
    <message>
        <source>Date</source>
        <translation>日期</translation>
    </message>
    <message>
        <source>Exercise</source>
        <translation>练习</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Partial</source>
        <translation>不完整</translation>
    </message>
    <message>
        <source>Pain</source>
        <translation>疼痛</translation>
    </message>
    <message>
        <source>Effort</source>
        <translation>用力程度</translation>
    </message>
    <message>
        <source>Quality</source>
        <translation>质量</translation>
    </message>
    <message>
        <source>Excursion (deg)</source>
        <translation>活动幅度（度）</translation>
    </message>
    <message>
        <source>Best angle</source>
        <translation>最佳角度</translation>
    </message>
    <message>
        <source>Rep</source>
        <translation>次</translation>
    </message>
    <message>
        <source>Set</source>
        <translation>组</translation>
    </message>
    <message>
        <source>Side</source>
        <translation>侧</translation>
    </message>
    <message>
        <source>Complete</source>
        <translation>完整</translation>
    </message>
    <message>
        <source>Excursion</source>
        <translation>活动幅度</translation>
    </message>
    <message>
        <source>Angle reached</source>
        <translation>达到的角度</translation>
    </message>
    <message>
        <source>Duration (s)</source>
        <translation>时长（秒）</translation>
    </message>
    <message>
        <source>Faults</source>
        <translation>问题</translation>
    </message>
    <message>
        <source>completed</source>
        <translation>已完成</translation>
    </message>
    <message>
        <source>stopped</source>
        <translation>已停止</translation>
    </message>
    <message>
        <source>left</source>
        <translation>左侧</translation>
    </message>
    <message>
        <source>right</source>
        <translation>右侧</translation>
    </message>
    <message>
        <source>Last 7 days</source>
        <translation>最近 7 天</translation>
    </message>
    <message>
        <source>Last 30 days</source>
        <translation>最近 30 天</translation>
    </message>
    <message>
        <source>All</source>
        <translation>全部</translation>
    </message>
    <message>
        <source>No sessions in the last 7 days (choose All for older ones)</source>
        <translation>最近 7 天没有练习记录（选择“全部”查看更早的记录）</translation>
    </message>
    <message>
        <source>No sessions in the last 30 days (choose All for older ones)</source>
        <translation>最近 30 天没有练习记录（选择“全部”查看更早的记录）</translation>
    </message>
    <message>
        <source>Pain flag: {0} ({1})</source>
        <translation>疼痛提醒：{0}（{1}）</translation>
    </message>
    <message>
        <source>{0} sessions</source>
        <translation>{0} 次练习</translation>
    </message>
    <message>
        <source>smaller than the other reps</source>
        <translation>比其他几次幅度小</translation>
    </message>
    <message>
        <source>short of the minimum depth</source>
        <translation>未达到最低幅度</translation>
    </message>
    <message>
        <source>too fast</source>
        <translation>太快</translation>
    </message>
    <message>
        <source>too slow</source>
        <translation>太慢</translation>
    </message>
    <message>
        <source>interrupted</source>
        <translation>中断</translation>
    </message>
    <message>
        <source>in progress</source>
        <translation>进行中</translation>
    </message>
    <message>
        <source>released</source>
        <translation>提前放松</translation>
    </message>
    <message>
        <source>(3D)</source>
        <translation>（3D）</translation>
    </message>
    <message>
        <source>not measurable from this view</source>
        <translation>此视角无法测量</translation>
    </message>
    <message>
        <source>{0:.0f} frames a second</source>
        <translation>每秒 {0:.0f} 帧</translation>
    </message>
    <message>
        <source>(too slow to count reliably at times: {0:.0f} at the slowest, {1:.0f} needed)</source>
        <translation>（有时太慢，无法准确计数：最慢 {0:.0f}，需要 {1:.0f}）</translation>
    </message>
    <message>
        <source>{0} (recorded {1})</source>
        <translation>{0}（记录为 {1}）</translation>
    </message>
    <message>
        <source>Correct the rep count</source>
        <translation>更正次数</translation>
    </message>
    <message>
        <source>why, e.g. &apos;two reps were the patient adjusting the chair&apos;</source>
        <translation>原因，例如“有两次是患者在调整椅子”</translation>
    </message>
    <message>
        <source>Save</source>
        <translation>保存</translation>
    </message>
    <message>
        <source>Recorded by the app: {0} complete reps</source>
        <translation>应用记录：{0} 次完整动作</translation>
    </message>
    <message>
        <source>Correct count</source>
        <translation>更正后的次数</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>原因</translation>
    </message>
    <message>
        <source>Choose a session</source>
        <translation>请选择一次练习</translation>
    </message>
    <message>
        <source>Correct count…</source>
        <translation>更正次数……</translation>
    </message>
    <message>
        <source>seconds into the rep</source>
        <translation>动作开始后的秒数</translation>
    </message>
    <message>
        <source>angle (deg)</source>
        <translation>角度（度）</translation>
    </message>
    <message>
        <source>rep</source>
        <translation>次</translation>
    </message>
    <message>
        <source>quality (0-100)</source>
        <translation>质量（0-100）</translation>
    </message>
    <message>
        <source>pain {0}/10</source>
        <translation>疼痛 {0}/10</translation>
    </message>
    <message>
        <source>effort {0}/10</source>
        <translation>用力程度 {0}/10</translation>
    </message>
    <message>
        <source>{0} complete, {1} partial</source>
        <translation>{0} 次完整，{1} 次不完整</translation>
    </message>
    <message>
        <source>Count corrected {0} on {1}: {2} → {3} ({4})</source>
        <translation>次数已于 {0} 在 {1} 上更正：{2} → {3}（{4}）</translation>
    </message>
    <message>
        <source>unknown computer</source>
        <translation>未知电脑</translation>
    </message>
    <message>
        <source>not reviewed yet</source>
        <translation>尚未查看</translation>
    </message>
    <message>
        <source>rep {0}</source>
        <translation>第 {0} 次</translation>
    </message>
    <message>
        <source>target {0}</source>
        <translation>目标 {0}</translation>
    </message>
    <message>
        <source>yes</source>
        <translation>是</translation>
    </message>
    <message>
        <source>no ({0})</source>
        <translation>否（{0}）</translation>
    </message>
    <message>
        <source>Export shown as {0}…</source>
        <translation>将所显示的导出为 {0}…</translation>
    </message>
    <message>
        <source>Show</source>
        <translation>显示</translation>
    </message>
    <message>
        <source>No sessions yet</source>
        <translation>还没有练习记录</translation>
    </message>
    <message>
        <source>Last</source>
        <translation>最近</translation>
    </message>
    <message>
        <source>4 wk</source>
        <translation>4 周</translation>
    </message>
    <message>
        <source>Flags</source>
        <translation>提醒</translation>
    </message>
    <message>
        <source>Display name and code</source>
        <translation>显示名称和编号</translation>
    </message>
    <message>
        <source>Last session</source>
        <translation>最近一次练习</translation>
    </message>
    <message>
        <source>Prescribed sessions done over the last four weeks</source>
        <translation>最近四周完成的处方练习</translation>
    </message>
    <message>
        <source>Pain after exercising (7+ or up 2) not reviewed yet, missed sessions this week, falling quality</source>
        <translation>练习后疼痛（7 分及以上或上升 2 分）尚未查看、本周错过的练习、质量下降</translation>
    </message>
    <message>
        <source>Sort: name</source>
        <translation>排序：姓名</translation>
    </message>
    <message>
        <source>Sort: newest flag</source>
        <translation>排序：最新提醒</translation>
    </message>
    <message>
        <source>Sort: lowest adherence</source>
        <translation>排序：依从性最低</translation>
    </message>
    <message>
        <source>Edit patient</source>
        <translation>编辑患者</translation>
    </message>
    <message>
        <source>Add patient</source>
        <translation>添加患者</translation>
    </message>
    <message>
        <source>pseudonymous code, e.g. P-0042 (not the name)</source>
        <translation>化名编号，例如 P-0042（不是姓名）</translation>
    </message>
    <message>
        <source>not recorded</source>
        <translation>未记录</translation>
    </message>
    <message>
        <source>Optional: standard test results are compared with norms for the age</source>
        <translation>可选：标准测试结果会与该年龄的常模比较</translation>
    </message>
    <message>
        <source>Female</source>
        <translation>女性</translation>
    </message>
    <message>
        <source>Male</source>
        <translation>男性</translation>
    </message>
    <message>
        <source>Optional: some norms differ for women and men</source>
        <translation>可选：部分常模按女性和男性区分</translation>
    </message>
    <message>
        <source>Archived (hidden from the list)</source>
        <translation>已归档（不在列表中显示）</translation>
    </message>
    <message>
        <source>None (name only)</source>
        <translation>无（仅姓名）</translation>
    </message>
    <message>
        <source>Birth year</source>
        <translation>出生年份</translation>
    </message>
    <message>
        <source>Check-in PIN</source>
        <translation>签到密码</translation>
    </message>
    <message>
        <source>unchanged</source>
        <translation>不变</translation>
    </message>
    <message>
        <source>digits</source>
        <translation>数字</translation>
    </message>
    <message>
        <source>Code</source>
        <translation>编号</translation>
    </message>
    <message>
        <source>Display name</source>
        <translation>显示名称</translation>
    </message>
    <message>
        <source>Notes</source>
        <translation>备注</translation>
    </message>
    <message>
        <source>Sex</source>
        <translation>性别</translation>
    </message>
    <message>
        <source>Kiosk check-in asks for</source>
        <translation>自助签到时要求输入</translation>
    </message>
    <message>
        <source>Birth year or PIN</source>
        <translation>出生年份或密码</translation>
    </message>
    <message>
        <source>Search code or name</source>
        <translation>搜索编号或姓名</translation>
    </message>
    <message>
        <source>Show archived</source>
        <translation>显示已归档</translation>
    </message>
    <message>
        <source>Needs attention</source>
        <translation>需要关注</translation>
    </message>
    <message>
        <source>Only patients with a pain flag nobody has reviewed yet, newest flag first</source>
        <translation>只显示有尚未查看的疼痛提醒的患者，最新提醒在前</translation>
    </message>
    <message>
        <source>Flags: the newest pain flag to review first. Adherence: the lowest first.</source>
        <translation>提醒：最新的待查看疼痛提醒在前。依从性：最低的在前。</translation>
    </message>
    <message>
        <source>Loading…</source>
        <translation>正在加载…</translation>
    </message>
    <message>
        <source>Edit</source>
        <translation>编辑</translation>
    </message>
    <message>
        <source>Mark flags reviewed…</source>
        <translation>标记提醒为已查看…</translation>
    </message>
    <message>
        <source>The list cannot be read now: {0}</source>
        <translation>现在无法读取列表：{0}</translation>
    </message>
    <message>
        <source>Needs attention ({0})</source>
        <translation>需要关注（{0}）</translation>
    </message>
    <message>
        <source>never</source>
        <translation>从未</translation>
    </message>
    <message>
        <source>(+{0} earlier)</source>
        <translation>（另有 {0} 条更早）</translation>
    </message>
    <message>
        <source>Repeat the PIN</source>
        <translation>再次输入密码</translation>
    </message>
    <message>
        <source>PIN</source>
        <translation>密码</translation>
    </message>
    <message>
        <source>Therapist mode: enter your PIN</source>
        <translation>治疗师模式：请输入您的密码</translation>
    </message>
    <message>
        <source>Set a therapist PIN (4-12 digits)</source>
        <translation>设置治疗师密码（4-12 位数字）</translation>
    </message>
    <message>
        <source>Try again</source>
        <translation>重试</translation>
    </message>
    <message>
        <source>Unlock</source>
        <translation>解锁</translation>
    </message>
    <message>
        <source>Set PIN</source>
        <translation>设置密码</translation>
    </message>
    <message>
        <source>The two PINs differ</source>
        <translation>两次输入的密码不一致</translation>
    </message>
    <message>
        <source>Too many wrong PINs: locked until {0} (about {1} min)</source>
        <translation>密码错误次数过多：锁定至 {0}（约 {1} 分钟）</translation>
    </message>
    <message>
        <source>Progression: {0}</source>
        <translation>递进：{0}</translation>
    </message>
    <message>
        <source>Progress this exercise over the weeks</source>
        <translation>随时间逐步增加此练习</translation>
    </message>
    <message>
        <source>reps</source>
        <translation>次</translation>
    </message>
    <message>
        <source>seconds of hold</source>
        <translation>秒保持时间</translation>
    </message>
    <message>
        <source>weeks</source>
        <translation>周</translation>
    </message>
    <message>
        <source>days</source>
        <translation>天</translation>
    </message>
    <message>
        <source>no pain limit</source>
        <translation>不限疼痛</translation>
    </message>
    <message>
        <source>Add</source>
        <translation>增加</translation>
    </message>
    <message>
        <source>Every</source>
        <translation>每隔</translation>
    </message>
    <message>
        <source>While pain stays under</source>
        <translation>疼痛低于</translation>
    </message>
    <message>
        <source>Up to</source>
        <translation>最多</translation>
    </message>
    <message>
        <source>Counting from</source>
        <translation>起始日期</translation>
    </message>
    <message>
        <source>{0} reps</source>
        <translation>{0}次</translation>
    </message>
    <message>
        <source>{0} s</source>
        <translation>{0}秒</translation>
    </message>
    <message>
        <source>The maximum must be above where it starts ({0}).</source>
        <translation>上限必须高于起点（{0}）。</translation>
    </message>
    <message>
        <source>The maximum is at most {0}.</source>
        <translation>上限最多为{0}。</translation>
    </message>
    <message>
        <source>Range of motion per session</source>
        <translation>每次练习的活动范围</translation>
    </message>
    <message>
        <source>excursion (deg)</source>
        <translation>活动幅度（度）</translation>
    </message>
    <message>
        <source>Quality per session</source>
        <translation>每次练习的质量</translation>
    </message>
    <message>
        <source>Adherence over</source>
        <translation>依从性统计范围</translation>
    </message>
    <message>
        <source>mean</source>
        <translation>平均</translation>
    </message>
    <message>
        <source>best</source>
        <translation>最佳</translation>
    </message>
    <message>
        <source>Adherence: nothing was prescribed in this period</source>
        <translation>依从性：这段时间没有处方练习</translation>
    </message>
    <message>
        <source>Adherence: {0} of {1} prescribed sessions done ({2} %), {3} started but not finished</source>
        <translation>依从性：{1} 次处方练习中完成了 {0} 次（{2} %），另有 {3} 次开始但未完成</translation>
    </message>
    <message>
        <source>Choose or add a patient</source>
        <translation>请选择或添加患者</translation>
    </message>
    <message>
        <source>Sessions</source>
        <translation>练习记录</translation>
    </message>
    <message>
        <source>Weekly summary</source>
        <translation>每周总结</translation>
    </message>
    <message>
        <source>Progress</source>
        <translation>进展</translation>
    </message>
    <message>
        <source>Tests</source>
        <translation>测试</translation>
    </message>
    <message>
        <source>Patient view</source>
        <translation>患者视图</translation>
    </message>
    <message>
        <source>Export {0}...</source>
        <translation>导出 {0}……</translation>
    </message>
    <message>
        <source>All dates</source>
        <translation>全部日期</translation>
    </message>
    <message>
        <source>Export</source>
        <translation>导出</translation>
    </message>
    <message>
        <source>or from</source>
        <translation>或从</translation>
    </message>
    <message>
        <source>to</source>
        <translation>至</translation>
    </message>
    <message>
        <source>This cannot be read now: {0}</source>
        <translation>现在无法读取：{0}</translation>
    </message>
    <message>
        <source>Export {0}</source>
        <translation>导出 {0}</translation>
    </message>
    <message>
        <source>Not saved: the period ends before it starts</source>
        <translation>未保存：结束日期早于开始日期</translation>
    </message>
    <message>
        <source>Exporting…</source>
        <translation>正在导出……</translation>
    </message>
    <message>
        <source>Saved {0}</source>
        <translation>已保存 {0}</translation>
    </message>
    <message>
        <source>Rehab Coach - therapist</source>
        <translation>Rehab Coach - 治疗师</translation>
    </message>
    <message>
        <source>Lock</source>
        <translation>锁定</translation>
    </message>
    <message>
        <source>Retry camera</source>
        <translation>重试摄像头</translation>
    </message>
    <message>
        <source>angle (°)</source>
        <translation>角度（°）</translation>
    </message>
    <message>
        <source>seconds ago</source>
        <translation>秒前</translation>
    </message>
    <message>
        <source>start</source>
        <translation>起点</translation>
    </message>
    <message>
        <source>end</source>
        <translation>终点</translation>
    </message>
    <message>
        <source>target</source>
        <translation>目标</translation>
    </message>
    <message>
        <source>ideal</source>
        <translation>理想</translation>
    </message>
    <message>
        <source>quality</source>
        <translation>质量</translation>
    </message>
    <message>
        <source>reviewed by {0}, {1} {2}</source>
        <translation>已由 {0} 于 {1} {2} 查看</translation>
    </message>
    <message>
        <source>Mark pain flags reviewed</source>
        <translation>标记疼痛提醒为已查看</translation>
    </message>
    <message>
        <source>The patient reported this pain after exercising. Once you have looked at it (and contacted the patient where needed), mark it reviewed: it leaves Needs attention and stays in the record.</source>
        <translation>患者在练习后报告了以下疼痛。查看后（必要时联系患者），请标记为已查看：它将不再出现在“需要关注”中，但仍保留在记录里。</translation>
    </message>
    <message>
        <source>your name or initials</source>
        <translation>您的姓名或姓名缩写</translation>
    </message>
    <message>
        <source>optional, e.g. &apos;called the patient, squats paused&apos;</source>
        <translation>可选，例如“已致电患者，暂停深蹲”</translation>
    </message>
    <message>
        <source>Reviewed by</source>
        <translation>查看人</translation>
    </message>
    <message>
        <source>Note</source>
        <translation>备注</translation>
    </message>
    <message>
        <source>Tick the flags you have reviewed.</source>
        <translation>请勾选您已查看的提醒。</translation>
    </message>
    <message>
        <source>Week</source>
        <translation>周</translation>
    </message>
    <message>
        <source>Pain flags</source>
        <translation>疼痛提醒</translation>
    </message>
    <message>
        <source>Monday to Sunday</source>
        <translation>周一至周日</translation>
    </message>
    <message>
        <source>Prescribed sessions done / planned (each exercise on each scheduled day, the whole week)</source>
        <translation>已完成 / 计划的处方练习（每个计划日的每项练习，整周计划）</translation>
    </message>
    <message>
        <source>Reps done / prescribed: counted on the scheduled days, a therapist&apos;s correction counting</source>
        <translation>已完成 / 处方次数：按计划日计数，以治疗师的修正为准</translation>
    </message>
    <message>
        <source>Mean excursion of the week&apos;s complete reps, and its change since the last week with reps</source>
        <translation>本周完整动作的平均活动幅度，以及与上一个有练习的周相比的变化</translation>
    </message>
    <message>
        <source>Pain after exercising, 7 or more or up 2; ✓ reviewed</source>
        <translation>练习后疼痛，7 分及以上或上升 2 分；✓ 表示已查看</translation>
    </message>
    <message>
        <source>This week</source>
        <translation>本周</translation>
    </message>
    <message>
        <source>none planned ({0} done)</source>
        <translation>无计划（完成 {0} 次）</translation>
    </message>
    <message>
        <source>({0} partial)</source>
        <translation>（{0} 次不完整）</translation>
    </message>
    <message>
        <source>Each week from Monday: what was done against the program, how far the movements went, and pain.</source>
        <translation>每周从周一开始：对照计划完成了多少、动作幅度如何，以及疼痛情况。</translation>
    </message>
    <message>
        <source>Copy a program from another patient</source>
        <translation>从其他患者复制计划</translation>
    </message>
    <message>
        <source>Search name or code</source>
        <translation>搜索姓名或编号</translation>
    </message>
    <message>
        <source>The copy opens in the editor for this patient; nothing is saved until you save it.</source>
        <translation>副本会在此患者的编辑器中打开；保存前不会存储任何内容。</translation>
    </message>
    <message>
        <source>Copy</source>
        <translation>复制</translation>
    </message>
    <message>
        <source>No patient matches.</source>
        <translation>没有匹配的患者。</translation>
    </message>
    <message>
        <source>No other patient has a program yet.</source>
        <translation>其他患者还没有计划。</translation>
    </message>
    <message>
        <source>Protocols</source>
        <translation>方案</translation>
    </message>
    <message>
        <source>Search protocols</source>
        <translation>搜索方案</translation>
    </message>
    <message>
        <source>Rename</source>
        <translation>重命名</translation>
    </message>
    <message>
        <source>Delete…</source>
        <translation>删除…</translation>
    </message>
    <message>
        <source>Start this patient&apos;s program from it</source>
        <translation>用它开始此患者的计划</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
    <message>
        <source>Delete</source>
        <translation>删除</translation>
    </message>
    <message>
        <source>Keep</source>
        <translation>保留</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <source>No protocols yet. Save a program as a protocol from the program editor.</source>
        <translation>还没有方案。可在计划编辑器中将计划另存为方案。</translation>
    </message>
    <message>
        <source>No protocol matches.</source>
        <translation>没有匹配的方案。</translation>
    </message>
    <message>
        <source>Delete the protocol “{0}”? Programs started from it stay.</source>
        <translation>删除方案“{0}”？由它开始的计划会保留。</translation>
    </message>
    <message>
        <source>Save as protocol</source>
        <translation>另存为方案</translation>
    </message>
    <message>
        <source>e.g. TKA weeks 0-2</source>
        <translation>例如：全膝置换 第0-2周</translation>
    </message>
    <message>
        <source>Replace the protocol of that name</source>
        <translation>替换同名方案</translation>
    </message>
    <message>
        <source>Exercises, dosage, targets, progressions and days are saved; the start date is not.</source>
        <translation>会保存练习、剂量、目标、递进和训练日；不保存开始日期。</translation>
    </message>
    <message>
        <source>Protocol name</source>
        <translation>方案名称</translation>
    </message>
    <message>
        <source>For the therapist</source>
        <translation>给治疗师</translation>
    </message>
    <message>
        <source>Another test</source>
        <translation>再做一项测试</translation>
    </message>
    <message>
        <source>Next: {0}</source>
        <translation>下一步：{0}</translation>
    </message>
    <message>
        <source>Start the {0}</source>
        <translation>开始{0}</translation>
    </message>
    <message>
        <source>Compared with: {0}</source>
        <translation>比较依据：{0}</translation>
    </message>
    <message>
        <source>Test</source>
        <translation>测试</translation>
    </message>
    <message>
        <source>Result</source>
        <translation>结果</translation>
    </message>
    <message>
        <source>For the patient</source>
        <translation>给患者的说明</translation>
    </message>
    <message>
        <source>Norm</source>
        <translation>常模</translation>
    </message>
    <message>
        <source>Correct result</source>
        <translation>更正结果</translation>
    </message>
    <message>
        <source>stands</source>
        <translation>次站起</translation>
    </message>
    <message>
        <source>s</source>
        <translation>秒</translation>
    </message>
    <message>
        <source>why, e.g. re-timed from the video</source>
        <translation>原因，例如根据视频重新计时</translation>
    </message>
    <message>
        <source>Measured by the app</source>
        <translation>应用测量值</translation>
    </message>
    <message>
        <source>Corrected result</source>
        <translation>更正后的结果</translation>
    </message>
    <message>
        <source>No standard test yet. Tests are started from the exercise list.</source>
        <translation>还没有标准测试。可以从练习列表开始测试。</translation>
    </message>
    <message>
        <source>Correct result…</source>
        <translation>更正结果…</translation>
    </message>
    <message>
        <source>Trend</source>
        <translation>趋势</translation>
    </message>
    <message>
        <source>The patient read: {0}</source>
        <translation>患者看到的是：{0}</translation>
    </message>
    <message>
        <source>seconds</source>
        <translation>秒</translation>
    </message>
    <message>
        <source>Stand on your right leg</source>
        <translation>用右腿站立</translation>
    </message>
    <message>
        <source>Stand on your left leg</source>
        <translation>用左腿站立</translation>
    </message>
    <message>
        <source>Wait for Go</source>
        <translation>等待&quot;开始&quot;</translation>
    </message>
    <message>
        <source>Trial {0} of {1}</source>
        <translation>第{0}次，共{1}次</translation>
    </message>
    <message>
        <source>{0} s left</source>
        <translation>还剩{0}秒</translation>
    </message>
    <message>
        <source>Stands: {0} of 5</source>
        <translation>站起：{0}/5</translation>
    </message>
    <message>
        <source>seconds on one leg</source>
        <translation>单腿站立秒数</translation>
    </message>
    <message>
        <source>Lift one foot</source>
        <translation>抬起一只脚</translation>
    </message>
    <message>
        <source>This exercise cannot be started; please tell your therapist.</source>
        <translation>这项训练无法开始，请告诉您的治疗师。</translation>
    </message>
</context>
</TS>
