import '../lib/zod';
