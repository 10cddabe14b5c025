import type { KbService } from './articles/service.js';

interface SeedText {
  title: string;
  slug: string;
  description: string;
  body: string;
}

interface SeedArticle {
  category: string;
  en: SeedText;
  ru: SeedText;
}

const CATEGORIES = [
  {
    slug: 'orders-delivery',
    translations: {
      en: { name: 'Orders and delivery', description: 'Tracking, changing and receiving your orders.' },
      ru: { name: 'Заказы и доставка', description: 'Отслеживание, изменение и получение заказов.' },
    },
  },
  {
    slug: 'account-payment',
    translations: {
      en: { name: 'Account and payment', description: 'Signing in, passwords, cards and refunds.' },
      ru: { name: 'Аккаунт и оплата', description: 'Вход, пароли, карты и возвраты.' },
    },
  },
];

const ARTICLES: SeedArticle[] = [
  {
    category: 'orders-delivery',
    en: {
      title: 'How to track your order',
      slug: 'track-your-order',
      description: 'Find where your parcel is and when it will arrive.',
      body: `Every order gets a tracking number as soon as it leaves our warehouse.

## Where to find the tracking number

1. Open **My orders** in your account.
2. Choose the order.
3. Copy the number under *Shipment*.

We also send it by email and SMS when the parcel is handed to the courier.

## The status has not changed for days

- Couriers update the status when the parcel passes a sorting centre, so a quiet day or two is normal.
- If nothing has changed for **5 working days**, write to us in the chat and we will open an inquiry with the courier.

See also: [delivery times and costs](delivery-times-and-costs).`,
    },
    ru: {
      title: 'Как отследить заказ',
      slug: 'отследить-заказ',
      description: 'Узнайте, где посылка и когда она приедет.',
      body: `Каждый заказ получает трек-номер, как только покидает наш склад.

## Где найти трек-номер

1. Откройте **Мои заказы** в личном кабинете.
2. Выберите заказ.
3. Скопируйте номер в разделе *Отправление*.

Мы также присылаем его по почте и в SMS, когда посылку передают курьеру.

## Статус не меняется несколько дней

- Курьерская служба обновляет статус, когда посылка проходит сортировочный центр, поэтому день-два без изменений — это нормально.
- Если статус не менялся **5 рабочих дней**, напишите нам в чат, и мы откроем запрос в службу доставки.

Смотрите также: [сроки и стоимость доставки](сроки-и-стоимость-доставки).`,
    },
  },
  {
    category: 'orders-delivery',
    en: {
      title: 'Delivery times and costs',
      slug: 'delivery-times-and-costs',
      description: 'How long delivery takes and what it costs in each region.',
      body: `## Delivery options

| Option | Time | Cost |
|---|---|---|
| Courier | 1–3 working days | €4.90, free from €50 |
| Pickup point | 2–5 working days | €2.90 |
| Express (big cities) | same day if ordered before 12:00 | €9.90 |

## Changing the delivery address

You can change the address while the order status is **Processing**. Open the order and choose *Change delivery*. Once the parcel is with the courier, ask the courier's support or write to us.

## Missed delivery

The courier tries twice. After that the parcel waits 7 days at the nearest pickup point.`,
    },
    ru: {
      title: 'Сроки и стоимость доставки',
      slug: 'сроки-и-стоимость-доставки',
      description: 'Сколько идёт доставка и сколько она стоит в каждом регионе.',
      body: `## Способы доставки

| Способ | Срок | Стоимость |
|---|---|---|
| Курьер | 1–3 рабочих дня | 490 ₽, бесплатно от 5000 ₽ |
| Пункт выдачи | 2–5 рабочих дней | 290 ₽ |
| Экспресс (крупные города) | в тот же день при заказе до 12:00 | 990 ₽ |

## Как изменить адрес доставки

Адрес можно изменить, пока заказ в статусе **В обработке**. Откройте заказ и выберите *Изменить доставку*. Если посылка уже у курьера, обратитесь в поддержку службы доставки или напишите нам.

## Курьер не застал дома

Курьер приезжает дважды. После этого посылка 7 дней ждёт в ближайшем пункте выдачи.`,
    },
  },
  {
    category: 'account-payment',
    en: {
      title: 'Returns and refunds',
      slug: 'returns-and-refunds',
      description: 'How to return an item and when the money comes back.',
      body: `You can return most items within **30 days** of delivery.

## How to return an item

1. Open **My orders** and choose *Return items*.
2. Pick the items and the reason.
3. Print the label, or show the QR code at a pickup point.

## When you get your money back

- Card payments: 3–10 working days after we receive the parcel, depending on your bank.
- Gift cards: the balance is restored at once.

Items that cannot be returned: gift cards, opened cosmetics and custom-made products.`,
    },
    ru: {
      title: 'Возврат товара и денег',
      slug: 'возврат-товара-и-денег',
      description: 'Как вернуть товар и когда придут деньги.',
      body: `Большинство товаров можно вернуть в течение **30 дней** после получения.

## Как вернуть товар

1. Откройте **Мои заказы** и выберите *Вернуть товары*.
2. Отметьте товары и причину возврата.
3. Распечатайте этикетку или покажите QR-код в пункте выдачи.

## Когда вернутся деньги

- Оплата картой: 3–10 рабочих дней после того, как мы получим посылку, в зависимости от банка.
- Подарочные карты: баланс восстанавливается сразу.

Не подлежат возврату: подарочные карты, вскрытая косметика и товары, сделанные на заказ.`,
    },
  },
  {
    category: 'account-payment',
    en: {
      title: 'Reset your password',
      slug: 'reset-your-password',
      description: 'Forgot your password? Set a new one in two minutes.',
      body: `## Reset it yourself

1. On the sign-in page choose **Forgot password?**
2. Enter the email of your account.
3. Open the link in the email we send (it works for one hour) and choose a new password.

Didn't get the email? Check the spam folder, and make sure you typed the address you signed up with.

## Keep your account safe

- Use a password you don't use anywhere else.
- Turn on two-step sign-in under **Account → Security**.
- We never ask for your password in the chat or by phone.`,
    },
    ru: {
      title: 'Как сбросить пароль',
      slug: 'сбросить-пароль',
      description: 'Забыли пароль? Задайте новый за две минуты.',
      body: `## Сбросьте пароль сами

1. На странице входа нажмите **Забыли пароль?**
2. Введите почту, на которую зарегистрирован аккаунт.
3. Откройте ссылку из письма (она действует один час) и задайте новый пароль.

Письмо не пришло? Проверьте папку «Спам» и убедитесь, что ввели тот адрес, с которым регистрировались.

## Как защитить аккаунт

- Используйте пароль, который больше нигде не используете.
- Включите двухэтапный вход в разделе **Аккаунт → Безопасность**.
- Мы никогда не спрашиваем пароль в чате или по телефону.`,
    },
  },
  {
    category: 'account-payment',
    en: {
      title: 'Payment methods',
      slug: 'payment-methods',
      description: 'Cards, wallets and paying on delivery.',
      body: `We accept:

- **Cards**: Visa, Mastercard, Maestro.
- **Wallets**: Apple Pay and Google Pay.
- **Cash or card on delivery** for courier orders up to €500.

## My payment was declined

1. Check that the card has not expired and the billing address matches.
2. Make sure your bank allows online payments (some cards need it switched on in the bank's app).
3. Try another card or a wallet.

If the money was taken but the order shows *Not paid*, don't pay again: the hold is released automatically within 3 days, or write to us with the order number.`,
    },
    ru: {
      title: 'Способы оплаты',
      slug: 'способы-оплаты',
      description: 'Карты, электронные кошельки и оплата при получении.',
      body: `Мы принимаем:

- **Карты**: Visa, Mastercard, «Мир».
- **Кошельки**: Apple Pay и Google Pay.
- **Наличные или карта при получении** для курьерских заказов до 50 000 ₽.

## Платёж отклонён

1. Проверьте срок действия карты и адрес плательщика.
2. Убедитесь, что банк разрешает оплату в интернете (для некоторых карт это включается в приложении банка).
3. Попробуйте другую карту или кошелёк.

Если деньги списались, а заказ показан как *Не оплачен*, не платите повторно: блокировка снимется автоматически в течение 3 дней, или напишите нам номер заказа.`,
    },
  },
];

/**
 * The demo tenant's help center: two categories and five published articles in English with
 * Russian translations. Idempotent: what exists (by slug) is left alone.
 */
export async function seedKnowledgeBase(service: KbService, tenantId: string, authorId: string | null): Promise<{ categories: number; articles: number }> {
  const r = service.store.forTenant(tenantId);
  await service.settings.get(tenantId);
  let categories = 0;
  let articles = 0;
  const categoryIds = new Map<string, string>();
  for (const [position, c] of CATEGORIES.entries()) {
    const existing = await r.categories.findOne({ slug: c.slug });
    if (existing) categoryIds.set(c.slug, existing._id);
    else {
      categoryIds.set(c.slug, (await service.createCategory(r, { ...c, position }))._id);
      categories++;
    }
  }
  for (const a of ARTICLES) {
    if (await r.translations.findOne({ locale: 'en', slug: a.en.slug })) continue;
    const { article } = await service.createArticle(r, { locale: 'en', categoryId: categoryIds.get(a.category) ?? null, ...a.en }, authorId);
    await service.publish(r, article._id, 'en', authorId);
    await service.saveDraft(r, article._id, 'ru', a.ru, authorId);
    await service.publish(r, article._id, 'ru', authorId);
    articles++;
  }
  return { categories, articles };
}
